import { z } from 'zod';
import { BUS_ENGINES, BUS_STATES } from './bus-engine.ts';
import { tryParseCidr } from '../net/cidr.ts';
import { STREAM_ID_PATTERN } from './stream-id.ts';

/** An event id as a client sends it back (`since`, Last-Event-ID): no example, a pre-filled id would narrow what Try it out shows. */
export const EventIdParamSchema = z.string().regex(STREAM_ID_PATTERN, 'must be an event id as sent in the `id:` field');

/** An event id as clients see and send it back: opaque, compared by equality only. */
export const EventIdSchema = EventIdParamSchema.meta({
  id: 'EventId',
  description:
    "Opaque event id (today `<ms>-<seq>`, the shape of a Redis stream id; do not parse it). Ids increase and never repeat, also across restarts; with TRAP_BUS=redis they are the shared stream's ids, the same on every replica. Send the last one back as Last-Event-ID or `since` to resume.",
  example: '1764327210744-0',
});

/** The trap bus as /readyz reports it. */
export const BusStatusSchema = z
  .object({
    engine: z.enum(BUS_ENGINES).meta({ description: 'TRAP_BUS: memory (one process) or redis (replicas share a Redis stream)' }),
    state: z.enum(BUS_STATES).meta({ description: 'up; connecting (not connected to Redis yet since start); down (Redis unreachable, retrying)' }),
    detail: z.string().optional().meta({ description: 'Why it is not up', example: 'connect ECONNREFUSED 127.0.0.1:6379' }),
    backlog: z
      .object({ events: z.number().int(), bytes: z.number().int() })
      .meta({ description: 'Events received by this replica and waiting to be appended to the stream (TRAP_BUS_BACKLOG, TRAP_BUS_BACKLOG_BYTES)' }),
  })
  .meta({
    id: 'TrapBusStatus',
    description:
      'The trap bus. Its state does not change the /readyz status: a replica whose Redis is unreachable keeps receiving traps (they wait in its backlog) and serving the rest of the API, so it must stay in the UDP Service.',
  });

export type BusStatus = z.output<typeof BusStatusSchema>;

/** An address or a CIDR range, as trap filters take it (source, origin). */
export const AddressRangeSchema = z
  .string()
  .max(64)
  .refine((v) => tryParseCidr(v) !== undefined, { message: 'must be an IP address or a CIDR range (192.0.2.0/24, 2001:db8::/32)' });
