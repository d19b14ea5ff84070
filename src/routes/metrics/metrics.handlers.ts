import type { AppRouteHandler } from '../../http/types.ts';
import type { PrometheusMetrics } from '../../metrics.ts';
import type { metricsRoute } from './metrics.routes.ts';

export function metricsHandler(metrics: PrometheusMetrics): AppRouteHandler<typeof metricsRoute> {
  return async (c) => c.text(await metrics.exposition(), 200, { 'content-type': metrics.contentType });
}
