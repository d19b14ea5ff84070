import type { AppDeps } from '../../deps.ts';
import { createRouter } from '../../http/openapi.ts';
import { metricsHandler } from './metrics.handlers.ts';
import { metricsRoute } from './metrics.routes.ts';

export function metricsRoutes({ metrics }: AppDeps) {
  return createRouter().openapi(metricsRoute, metricsHandler(metrics));
}
