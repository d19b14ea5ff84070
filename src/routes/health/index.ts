import type { AppDeps } from '../../deps.ts';
import { createRouter } from '../../http/openapi.ts';
import { healthzHandler, readyzHandler } from './health.handlers.ts';
import { healthz, readyz } from './health.routes.ts';

export function healthRoutes({ config, readiness, traps }: AppDeps) {
  const warnings = config.auth.tokens.length === 0 ? ['no API tokens configured: the API is open to anyone who can reach it'] : [];
  return createRouter().openapi(healthz, healthzHandler()).openapi(readyz, readyzHandler(readiness, () => traps.busStatus(), warnings));
}
