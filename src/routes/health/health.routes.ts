import { z } from '@hono/zod-openapi';
import { BusStatusSchema } from '../../events/schemas.ts';
import { defineRoute, jsonContent, problemResponses } from '../../http/openapi.ts';

export const HealthSchema = z.object({ status: z.literal('ok') }).openapi('Health');

const SubsystemStatusSchema = z.object({
  state: z.enum(['up', 'down', 'disabled', 'starting']),
  detail: z.string().optional(),
});

export const ReadinessSchema = z
  .object({
    ready: z.boolean(),
    subsystems: z.record(z.string(), SubsystemStatusSchema),
    trapBus: BusStatusSchema,
    warnings: z.array(z.string()).optional(),
  })
  .openapi('Readiness');

export const healthz = defineRoute('open', {
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Liveness: the process is alive',
  responses: { 200: jsonContent(HealthSchema, 'The process is alive'), ...problemResponses() },
});

export const readyz = defineRoute('open', {
  method: 'get',
  path: '/readyz',
  tags: ['health'],
  summary: 'Readiness: listeners are up; reports each subsystem, and the trap bus (whose state does not change the status)',
  responses: {
    200: jsonContent(ReadinessSchema, 'Every subsystem is up or disabled'),
    503: jsonContent(ReadinessSchema, 'At least one subsystem is not up'),
    ...problemResponses(),
  },
});
