import { createApp } from '../src/app.ts';
import { defaultConfig, type Config } from '../src/config.ts';
import { buildDeps, targetPolicy, trapEngineFor, type Foundations } from '../src/deps.ts';
import { OPENAPI_DOCUMENT_CONFIG } from '../src/http/openapi.ts';
import { createLogger } from '../src/logger.ts';
import { PrometheusMetrics } from '../src/metrics.ts';
import { TargetResolver } from '../src/net/resolve.ts';
import { MibResolver } from '../src/snmp/mib.ts';

export const OPENAPI_PATH = 'openapi/openapi.json';

/** What main.ts prepares, for an app that listens nowhere and logs nothing: the default MIBs, the memory trap bus. */
export function quietFoundations(config: Config): Foundations {
  const logger = createLogger('silent');
  const metrics = new PrometheusMetrics({ processMetrics: false });
  return {
    logger,
    mib: MibResolver.create({ mibDirs: [] }),
    resolver: new TargetResolver(targetPolicy(config, [])),
    metrics,
    trapEngine: trapEngineFor(config, { redis: undefined, metrics, logger }),
    redis: undefined,
  };
}

/** The OpenAPI document as committed: generated from the code with the default configuration. */
export function openApiDocument(): string {
  const config = defaultConfig();
  const app = createApp(buildDeps(config, quietFoundations(config)));
  return `${JSON.stringify(app.getOpenAPI31Document(OPENAPI_DOCUMENT_CONFIG), null, 2)}\n`;
}
