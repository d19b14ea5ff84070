import type { RouteHandler } from '@hono/zod-openapi';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { AdapterError, isAdapterError } from '../../errors.ts';
import type { BusItem, EventFilter, Subscription } from '../../events/trap-bus.ts';
import type { TrapEvent } from '../../events/trap-event.ts';
import { parseAddressRange, trapFilter } from '../../events/trap-filter.ts';
import type { Metrics } from '../../http/metrics.ts';
import type { AppEnv } from '../../http/types.ts';
import type { TrapService } from '../../snmp/trap-service.ts';
import type { TrapFilterQuery, TrapRecentRoute, TrapStreamRoute } from './traps.routes.ts';

export interface TrapRouteDeps {
  traps: TrapService;
  metrics?: Metrics;
}

export function trapStreamHandler({ traps, metrics }: TrapRouteDeps): RouteHandler<TrapStreamRoute, AppEnv> {
  return (c) => {
    const query = c.req.valid('query');
    const lastEventId = c.req.valid('header')['last-event-id'];
    const filter = filterFromQuery(query, traps);
    ensureEnabled(traps);
    const subscription = traps.bus.subscribe({ filter, after: lastEventId !== undefined ? Number(lastEventId) : query.since });
    metrics?.sseSubscribers.inc();
    c.header('X-Accel-Buffering', 'no'); // nginx: do not buffer the stream
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => subscription.close());
      try {
        await pump(stream, subscription, traps.config.heartbeatMs);
      } finally {
        subscription.close();
        metrics?.sseSubscribers.dec();
      }
    });
  };
}

export function trapRecentHandler({ traps }: TrapRouteDeps): RouteHandler<TrapRecentRoute, AppEnv> {
  return (c) => {
    const query = c.req.valid('query');
    const filter = filterFromQuery(query, traps);
    ensureEnabled(traps);
    const { bus } = traps;
    if (query.since === undefined) return c.json({ events: bus.recent(query.limit, filter), lastId: bus.lastId }, 200);
    const read = bus.read(query.since, filter, query.limit);
    const events = read.entries.map((entry) => entry.event);
    return c.json({ events, lastId: bus.lastId, ...(read.missed === 0 ? {} : { missed: read.missed }) }, 200);
  };
}

/** Writes what the subscription delivers until it ends (client gone, or shutdown: then a final comment). */
async function pump(stream: SSEStreamingApi, subscription: Subscription<TrapEvent>, heartbeatMs: number): Promise<void> {
  await stream.write(': subscribed\n\n'); // sends the headers now, so the client knows it is subscribed
  while (!stream.aborted) {
    const items = subscription.take();
    if (items.length > 0) {
      // One write per batch, not per event: a client catching up gets its backlog in few chunks.
      await stream.write(items.map(sseMessage).join(''));
      continue;
    }
    const waited = await subscription.wait(heartbeatMs);
    if (waited === 'timeout') await stream.write(': heartbeat\n\n');
    if (waited === 'closed') break;
    // Let the rest of this event-loop turn's datagrams be queued too, so that under load they go out in
    // one write (and one wake-up) rather than one per event and subscriber.
    if (waited === 'ready') await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (!stream.aborted) await stream.write(': server shutting down\n\n');
}

/** The SSE wire form of one item. The data is JSON, which never contains a raw line break: one `data:` line. */
function sseMessage(item: BusItem<TrapEvent>): string {
  if (item.kind === 'gap') return `event: gap\ndata: ${JSON.stringify({ missed: item.missed })}\n\n`;
  return `id: ${item.event.id}\nevent: trap\ndata: ${item.json}\n\n`;
}

/**
 * The query is already validated; what is left is resolving a symbolic trapOid, which needs the MIBs.
 * An unknown name is a 400 (invalid-request), as on the SNMP routes.
 */
function filterFromQuery(query: TrapFilterQuery, traps: TrapService): EventFilter<TrapEvent> | undefined {
  let trapOid: string | undefined;
  if (query.trapOid !== undefined) {
    try {
      trapOid = traps.mib().toNumeric(query.trapOid);
    } catch (err) {
      if (!isAdapterError(err)) throw err;
      throw new AdapterError('INVALID_INPUT', 'traps', `trapOid: ${err.message}`, { errors: [{ path: 'query.trapOid', message: err.message }] });
    }
  }
  const source = query.source === undefined ? undefined : parseAddressRange(query.source);
  return trapFilter({ source, trapOid, version: query.version });
}

function ensureEnabled(traps: TrapService): void {
  if (!traps.config.enabled) {
    throw new AdapterError('UNAVAILABLE', 'traps', 'The trap receiver is disabled (TRAP_ENABLED=false).');
  }
}
