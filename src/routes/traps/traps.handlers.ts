import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { SseFrames } from '../../events/sse-frames.ts';
import type { BusEntry } from '../../events/trap-bus.ts';
import type { TrapFilterFields } from '../../events/trap-event.ts';
import { clientSignal } from '../../http/client-signal.ts';
import { directBody } from '../../http/direct-body.ts';
import type { AppEnv, AppRouteHandler } from '../../http/types.ts';
import type { TrapForwarders } from '../../events/forwarders/index.ts';
import type { TrapService, TrapSubscription } from '../../snmp/trap-service.ts';
import type { trapForwardersRoute, trapRecentRoute, trapStreamRoute } from './traps.routes.ts';

/** The most event JSON one chunk of the stream carries (a larger event goes alone). */
const STREAM_CHUNK_MAX_BYTES = 64 * 1024;

const STREAM_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'transfer-encoding': 'chunked',
  'x-accel-buffering': 'no', // nginx: do not buffer the stream
};

const SUBSCRIBED = Buffer.from(': subscribed\n\n'); // the first chunk: the client knows it is subscribed
const HEARTBEAT = Buffer.from(': heartbeat\n\n');
const SHUTTING_DOWN = Buffer.from(': server shutting down\n\n');

export function trapStreamHandler(traps: TrapService): AppRouteHandler<typeof trapStreamRoute> {
  const frames = new SseFrames();
  return (c) => {
    const query = c.req.valid('query');
    const lastEventId = c.req.valid('header')['last-event-id'];
    const filter = traps.filterFor(query);
    traps.ensureEnabled();
    // hono answers HEAD with the GET handler and then drops the body unread: a subscription made for it
    // would never be released.
    if (c.req.method === 'HEAD') return c.body(null, 200, STREAM_HEADERS) as never;
    const subscription = traps.subscribe(filter, lastEventId ?? query.since);
    const direct = directBody(c, 200, STREAM_HEADERS, {
      write: (outgoing) => void writeEvents(outgoing, subscription, frames, traps.heartbeatMs),
      abandon: () => subscription.close(),
    });
    return (direct ?? c.body(eventStream(subscription, frames, traps.heartbeatMs, clientSignal(c)), 200, STREAM_HEADERS)) as never;
  };
}

export function trapRecentHandler(traps: TrapService): AppRouteHandler<typeof trapRecentRoute> {
  return async (c) => {
    const query = c.req.valid('query');
    const { entries, lastId, missed } = await traps.buffered(query.limit, traps.filterFor(query), query.since);
    return recentBody(c, entries, { lastId, ...(missed === 0 ? {} : { missed }) }) as never;
  };
}

export function trapForwardersHandler(forwarders: TrapForwarders<TrapFilterFields>): AppRouteHandler<typeof trapForwardersRoute> {
  return (c) => c.json({ forwarders: forwarders.status() }, 200);
}

/**
 * `{"events":[…], …rest}` spliced from the JSON the bus keeps, rather than parsed back into objects and
 * serialized again: a page of large events costs its text once, not several times over.
 */
function recentBody(c: Context<AppEnv>, entries: BusEntry<TrapFilterFields>[], rest: { lastId: string | null; missed?: number | null }): Response {
  const events = entries.map((entry) => entry.json).join(',');
  return c.body(`{"events":[${events}],${JSON.stringify(rest).slice(1)}`, 200, { 'content-type': 'application/json' });
}

/**
 * The SSE body, written straight to Node's response (directBody): the next chunk is made only once the
 * socket has taken the previous one ('drain'), so a client that stops reading stops the writes. Its events
 * then wait in the bus, which bounds them (and switches it to catching up from the ring), not in socket
 * buffers, which would not. The subscription is released when the connection closes.
 */
async function writeEvents(outgoing: ServerResponse, subscription: TrapSubscription, frames: SseFrames, heartbeatMs: number): Promise<void> {
  let open = true;
  const stop = () => {
    open = false;
    subscription.close();
  };
  outgoing.once('close', stop);
  // Nothing else listens on the response: an 'error' left unheard would end the process. 'close' follows.
  outgoing.on('error', stop);
  const pace: Pace = { sentAt: -Infinity };
  let writable = outgoing.write(SUBSCRIBED);
  try {
    while (open) {
      if (!writable) await drainedOrClosed(outgoing);
      if (!open) return;
      const chunk = await nextChunk(subscription, frames, heartbeatMs, pace);
      if (!open) return;
      // The bus closed: the service is shutting down.
      if (!chunk) return void outgoing.end(SHUTTING_DOWN);
      writable = outgoing.write(chunk);
    }
  } catch (err) {
    subscription.close();
    outgoing.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

function drainedOrClosed(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.on('drain', done);
    outgoing.on('close', done);
  });
}

/**
 * The SSE body where the server takes no direct body (app.request() in tests, another adapter), as a
 * pull source: its reader pulls the next chunk only once the previous one was taken, with the same bounds
 * as above. The subscription is released when the body is cancelled (the client went away while it was
 * being read), when the connection closes before it was ever read, and when a pull fails.
 */
function eventStream(subscription: TrapSubscription, frames: SseFrames, heartbeatMs: number, clientGone: AbortSignal): ReadableStream<Uint8Array> {
  let started = false;
  let released = false;
  const release = () => {
    released = true;
    subscription.close();
  };
  if (clientGone.aborted) release();
  else clientGone.addEventListener('abort', release, { once: true });
  const pace: Pace = { sentAt: -Infinity };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            controller.enqueue(SUBSCRIBED);
            return;
          }
          const chunk = await nextChunk(subscription, frames, heartbeatMs, pace);
          if (released) return;
          if (chunk) return controller.enqueue(chunk);
          // The bus closed: the service is shutting down.
          controller.enqueue(SHUTTING_DOWN);
          controller.close();
        } catch (err) {
          release();
          controller.error(err);
        }
      },
      cancel: release,
    },
    { highWaterMark: 0 },
  );
}

interface Pace {
  /** When the last chunk of events was made (performance.now()). */
  sentAt: number;
}

/** The next chunk to send: events (up to STREAM_CHUNK_MAX_BYTES), or a heartbeat when idle; undefined once the subscription ends. */
async function nextChunk(subscription: TrapSubscription, frames: SseFrames, heartbeatMs: number, pace: Pace): Promise<Buffer | undefined> {
  for (;;) {
    const items = subscription.take(STREAM_CHUNK_MAX_BYTES);
    if (items.length > 0) {
      pace.sentAt = performance.now();
      return frames.chunk(items);
    }
    const waited = await subscription.wait(heartbeatMs);
    if (waited === 'closed') return undefined;
    if (waited === 'timeout') return HEARTBEAT;
    // Let the events that follow within COALESCE_MS of the last chunk (or at least the rest of this
    // event-loop turn's datagrams) be queued too, to go out in the same chunk.
    await frames.paced(pace.sentAt);
  }
}
