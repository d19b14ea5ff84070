import { z } from '@hono/zod-openapi';
import { tryParseCidr } from '../../net/cidr.ts';
import { defineRoute, jsonContent, problemResponses } from '../../http/openapi.ts';
import { TRAP_VERSIONS, TrapEventSchema } from '../../events/trap-event.ts';
import { OidFilterSchema } from '../../snmp/schemas.ts';

export const TrapGapSchema = z
  .object({
    missed: z.number().int().nullable().openapi({
      description: 'Events lost (all events, whatever the filters) because the buffer no longer holds them; null when unknown (the id came from an earlier run of the service)',
      example: 120,
    }),
  })
  .openapi('TrapGap');

export const TrapStreamMessageSchema = z
  .union([
    z.object({
      event: z.literal('trap'),
      id: z.string().openapi({ description: 'The event sequence id; send it back as Last-Event-ID to resume', example: '42' }),
      data: TrapEventSchema,
    }),
    z.object({ event: z.literal('gap'), data: TrapGapSchema }),
  ])
  .openapi('TrapStreamMessage', {
    description:
      'One server-sent-event message. On the wire: `id: <sequence>` (trap only), `event: trap|gap`, and `data:` the JSON on one line, then an empty line. Comment lines (`: heartbeat`) keep idle connections open.',
  });

const sourceParam = z
  .string()
  .max(64)
  .refine((v) => tryParseCidr(v) !== undefined, { message: 'must be an IP address or a CIDR range (192.0.2.0/24, 2001:db8::/32)' })
  .optional()
  .openapi({ param: { name: 'source', in: 'query' }, description: 'Only notifications from this IP address or CIDR range (IPv4 or IPv6), e.g. 127.0.0.1 or 10.0.0.0/8' });

const trapOidParam = OidFilterSchema.optional().openapi({
  param: { name: 'trapOid', in: 'query' },
  description: 'Only notifications whose trapOid is this OID or under it, on whole arcs; numeric or a MIB name (IF-MIB::linkDown, 1.3.6.1.6.3.1.1.5)',
});

const versionParam = z
  .enum(TRAP_VERSIONS)
  .optional()
  .openapi({ param: { name: 'version', in: 'query' }, description: 'Only notifications of this SNMP version' });

const sequenceId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const TrapFilterQuerySchema = z.object({ source: sourceParam, trapOid: trapOidParam, version: versionParam });

const StreamQuerySchema = TrapFilterQuerySchema.extend({
  since: sequenceId.optional().openapi({
    param: { name: 'since', in: 'query' },
    description: 'Resume after this event id (as Last-Event-ID does; the header wins when both are given)',
  }),
}).strict();

const RecentQuerySchema = TrapFilterQuerySchema.extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .openapi({ param: { name: 'limit', in: 'query' }, description: 'At most this many events' }),
  since: sequenceId.optional().openapi({
    param: { name: 'since', in: 'query' },
    description: 'Only events after this id, oldest first (for polling: pass the last id you got)',
  }),
}).strict();

export const TrapRecentResponseSchema = z
  .object({
    events: z.array(TrapEventSchema).openapi({ description: 'Newest last' }),
    lastId: z.number().int().openapi({ description: 'Id of the newest event received so far (0 before the first)' }),
    missed: z.number().int().nullable().optional().openapi({ description: 'With `since`: events after it that the buffer no longer holds (null: unknown)' }),
  })
  .openapi('TrapRecentResponse');

const STREAM_DESCRIPTION = `Server-sent events: one \`event: trap\` message per SNMP trap or inform received on the trap port (TRAP_PORT), with \`id:\` its sequence id and \`data:\` a TrapEvent as one line of JSON. A \`: heartbeat\` comment is sent when the stream has been idle for TRAP_HEARTBEAT_MS.

**Resume.** Reconnect with \`Last-Event-ID\` (EventSource does this itself) or \`?since=<id>\`: the buffered events after that id that match the filters come first, then live ones, without gap or duplicate. If the id is older than the buffer (TRAP_BUFFER events), the first message is \`event: gap\` with \`{"missed": N}\`; an id from an earlier run of the service gives \`{"missed": null}\` followed by the whole buffer.

**Slow clients.** Each subscriber has a queue of at most TRAP_SUBSCRIBER_QUEUE events and TRAP_SUBSCRIBER_QUEUE_BYTES bytes, and all queues together hold at most TRAP_QUEUES_MAX_BYTES; the receiver never waits for a client, and the service sends a client only as fast as it reads. When its queue is full the client is not disconnected: once it has drained its queue it catches up by reading the buffer from where it was, then continues live. Only if it falls behind what the buffer holds (TRAP_BUFFER events, TRAP_BUFFER_BYTES bytes) does it get \`event: gap\` with the number of events lost, and continues from the oldest buffered event.

Notifications whose event JSON exceeds TRAP_MAX_EVENT_BYTES are dropped and counted (\`netprobe_traps_dropped_total{reason="tooLarge"}\`). HEAD answers the stream's headers without subscribing.

At most TRAP_MAX_SUBSCRIBERS streams are open at once (503 beyond). When the service shuts down it ends each stream after a final comment.\n\n**Swagger UI cannot show a stream**: its Try it out waits for the response to end, which a stream never does. Use curl: \`curl -N -H 'Authorization: Bearer <token>' 'http://127.0.0.1:8080/snmp/traps?version=2c'\`, or an EventSource in a browser (the console at /console, when served, does this).`;

const lastEventIdHeader = z.object({
  'last-event-id': z
    .string()
    .regex(/^\d{1,16}$/, 'must be an event id (digits) as sent in the `id:` field')
    .optional()
    .openapi({ param: { name: 'last-event-id', in: 'header' }, description: 'Resume after this event id' }),
});

export const trapStreamRoute = defineRoute('traps', {
  method: 'get',
  path: '/snmp/traps',
  tags: ['traps'],
  summary: 'Stream received SNMP traps and informs as server-sent events, with filters and resume',
  description: STREAM_DESCRIPTION,
  request: { query: StreamQuerySchema, headers: lastEventIdHeader },
  responses: {
    200: {
      description: 'An endless text/event-stream of TrapStreamMessage',
      content: { 'text/event-stream': { schema: TrapStreamMessageSchema } },
    },
    ...problemResponses(401, 403, 429, 503),
  },
});

export const trapRecentRoute = defineRoute('traps', {
  method: 'get',
  path: '/snmp/traps/recent',
  tags: ['traps'],
  summary: 'The buffered traps and informs as JSON, newest last, for callers that poll',
  request: { query: RecentQuerySchema },
  responses: {
    200: jsonContent(TrapRecentResponseSchema, 'Buffered events that match the filters'),
    ...problemResponses(401, 403, 429, 503),
  },
});

