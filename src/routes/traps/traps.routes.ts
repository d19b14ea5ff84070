import { z } from '@hono/zod-openapi';
import { defineRoute, jsonContent, problemResponses } from '../../http/openapi.ts';
import { ForwarderListStatusSchema } from '../../events/forwarders/schemas.ts';
import { AddressRangeSchema, EventIdParamSchema, EventIdSchema } from '../../events/schemas.ts';
import { TRAP_VERSIONS, TrapEventSchema } from '../../events/trap-event.ts';
import { OidFilterSchema } from '../../snmp/schemas.ts';

export const TrapGapSchema = z
  .object({
    missed: z.number().int().nullable().openapi({
      description:
        'Events lost (all events, whatever the filters) because they are no longer held; null when the number is unknown: the id is not one of this stream (an earlier run of the service in memory mode, an unknown id), or the shared Redis stream trimmed events after it',
      example: 120,
    }),
  })
  .openapi('TrapGap');

export const TrapStreamMessageSchema = z
  .union([
    z.object({
      event: z.literal('trap'),
      id: EventIdSchema,
      data: TrapEventSchema,
    }),
    z.object({ event: z.literal('gap'), data: TrapGapSchema }),
  ])
  .openapi('TrapStreamMessage', {
    description:
      'One server-sent-event message. On the wire: `id: <event id>` (trap only; opaque, the same as `data.id`), `event: trap|gap`, and `data:` the JSON on one line, then an empty line. Comment lines (`: heartbeat`) keep idle connections open.',
  });

const sourceParam = AddressRangeSchema.optional().openapi({
  param: { name: 'source', in: 'query' },
  description: 'Only notifications whose UDP sender (`source.address`) is this IP address or in this CIDR range (IPv4 or IPv6), e.g. 127.0.0.1 or 10.0.0.0/8',
});

const originParam = AddressRangeSchema.optional().openapi({
  param: { name: 'origin', in: 'query' },
  description:
    'Only notifications whose `origin.address` (snmpTrapAddress.0, or a v1 agent-addr other than the sender: the device behind a trap forwarder or NAT) is this address or in this range, e.g. 192.0.2.7; events without an origin do not match',
});

const trapOidParam = OidFilterSchema.optional().openapi({
  param: { name: 'trapOid', in: 'query' },
  description: 'Only notifications whose trapOid is this OID or under it, on whole arcs; numeric or a MIB name (IF-MIB::linkDown, 1.3.6.1.6.3.1.1.5)',
});

const versionParam = z
  .enum(TRAP_VERSIONS)
  .optional()
  .openapi({ param: { name: 'version', in: 'query' }, description: 'Only notifications of this SNMP version' });

export const TrapFilterQuerySchema = z.object({ source: sourceParam, origin: originParam, trapOid: trapOidParam, version: versionParam });

const StreamQuerySchema = TrapFilterQuerySchema.extend({
  since: EventIdParamSchema.optional().openapi({
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
  since: EventIdParamSchema.optional().openapi({
    param: { name: 'since', in: 'query' },
    description: 'Only events after this id, oldest first (for polling: pass the last id you got)',
  }),
}).strict();

export const TrapRecentResponseSchema = z
  .object({
    events: z.array(TrapEventSchema).openapi({ description: 'Newest last' }),
    lastId: EventIdSchema.nullable().openapi({ description: 'Id of the newest event of the stream (null before the first)' }),
    missed: z.number().int().nullable().optional().openapi({ description: 'With `since`: events after it that are no longer held (null: unknown how many)' }),
  })
  .openapi('TrapRecentResponse');

const STREAM_DESCRIPTION = `Server-sent events: one \`event: trap\` message per SNMP trap or inform received on the trap port (TRAP_PORT), with \`id:\` its event id (opaque; it increases and never repeats, also across restarts) and \`data:\` a TrapEvent as one line of JSON. A \`: heartbeat\` comment is sent when the stream has been idle for TRAP_HEARTBEAT_MS.

**Replicas.** With TRAP_BUS=redis every replica appends the notifications it receives to one Redis stream and streams all of them, in the stream's order, with the stream's ids: a subscriber on any replica sees every notification received by any replica, and may resume on any replica.

**Resume.** Reconnect with \`Last-Event-ID\` (EventSource does this itself) or \`?since=<id>\`: the events after that id that match the filters come first, then live ones, without gap or duplicate. If the events after the id are no longer held (older than TRAP_BUFFER events in memory mode; trimmed by TRAP_STREAM_MAXLEN or TRAP_STREAM_MAX_AGE_MS in the Redis stream), the first message is \`event: gap\` with \`{"missed": N}\` (\`null\` when the number is unknown), then the oldest event still held. An id that is not one of this stream (from an earlier run of the service in memory mode) gives \`{"missed": null}\` followed by everything held.

**Slow clients.** Each subscriber has a queue of at most TRAP_SUBSCRIBER_QUEUE events and TRAP_SUBSCRIBER_QUEUE_BYTES bytes, and all queues together hold at most TRAP_QUEUES_MAX_BYTES; the receiver never waits for a client, and the service sends a client only as fast as it reads. When its queue is full the client is not disconnected: once it has drained its queue it catches up by reading the buffer from where it was, then continues live. Only if it falls behind what the buffer holds (TRAP_BUFFER events, TRAP_BUFFER_BYTES bytes) does it get \`event: gap\` with the number of events lost, and continues from the oldest buffered event.

**Batching.** Events that keep coming are sent to a client several to a write, at most every 5 ms; an event after a quiet spell is sent at once.

Notifications whose event JSON exceeds TRAP_MAX_EVENT_BYTES are dropped and counted (\`netprobe_traps_dropped_total{reason="tooLarge"}\`). HEAD answers the stream's headers without subscribing.

At most TRAP_MAX_SUBSCRIBERS streams are open at once (503 beyond). When the service shuts down it ends each stream after a final comment.\n\n**Swagger UI cannot show a stream**: its Try it out waits for the response to end, which a stream never does. Use curl: \`curl -N -H 'Authorization: Bearer <token>' 'http://127.0.0.1:8080/snmp/traps?version=2c'\`, or an EventSource in a browser (the console at /console, when served, does this).`;

const lastEventIdHeader = z.object({
  'last-event-id': EventIdParamSchema.optional().openapi({ param: { name: 'last-event-id', in: 'header' }, description: 'Resume after this event id' }),
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
  summary: 'The newest traps and informs as JSON, newest last, for callers that poll (with TRAP_BUS=redis: read from the shared stream)',
  request: { query: RecentQuerySchema },
  responses: {
    200: jsonContent(TrapRecentResponseSchema, 'Buffered events that match the filters'),
    ...problemResponses(401, 403, 429, 503),
  },
});


export const trapForwardersRoute = defineRoute('traps', {
  method: 'get',
  path: '/snmp/traps/forwarders',
  tags: ['traps'],
  summary: 'The webhook forwarders (TRAP_FORWARDERS) and their state on this replica: queue, deliveries, retries, drops, dead letters, last success and error',
  description:
    'Secrets are never shown: not the signing secret, not header values, not the query string of the URL. With TRAP_BUS=redis the queue is the consumer group of the forwarder on the shared stream (its backlog, the same on every replica) and the counters are this replica\'s.',
  responses: {
    200: jsonContent(ForwarderListStatusSchema, 'One entry per configured forwarder, in configuration order'),
    ...problemResponses(401, 403, 429),
  },
});
