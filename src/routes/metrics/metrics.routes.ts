import { z } from '@hono/zod-openapi';
import { defineRoute, problemResponses } from '../../http/openapi.ts';

export const metricsRoute = defineRoute('open', {
  method: 'get',
  path: '/metrics',
  tags: ['health'],
  summary: 'Prometheus metrics (text exposition format)',
  responses: {
    200: {
      description: 'Metrics in the Prometheus text format',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...problemResponses(),
  },
});
