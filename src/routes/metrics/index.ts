import { createRoute, z } from '@hono/zod-openapi';
import type { Metrics } from '../../http/metrics.ts';
import { createRouter, problemResponses } from '../../http/openapi.ts';

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['health'],
  summary: 'Prometheus metrics (text exposition format)',
  security: [],
  responses: {
    200: {
      description: 'Metrics in the Prometheus text format',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...problemResponses(),
  },
});

export function metricsRoutes(metrics: Metrics) {
  return createRouter().openapi(metricsRoute, async (c) => {
    const body = await metrics.registry.metrics();
    return c.text(body, 200, { 'content-type': metrics.registry.contentType });
  });
}
