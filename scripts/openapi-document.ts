import { createApp } from '../src/app.ts';
import { defaultConfig } from '../src/config.ts';
import { buildDeps } from '../src/deps.ts';
import { OPENAPI_DOCUMENT_CONFIG } from '../src/http/openapi.ts';
import { createLogger } from '../src/logger.ts';

export const OPENAPI_PATH = 'openapi/openapi.json';

/** The OpenAPI document as committed: generated from the code with the default configuration. */
export function openApiDocument(): string {
  const app = createApp(buildDeps(defaultConfig(), createLogger('silent')));
  return `${JSON.stringify(app.getOpenAPI31Document(OPENAPI_DOCUMENT_CONFIG), null, 2)}\n`;
}
