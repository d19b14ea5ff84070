import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';

/**
 * A response body that its route writes to Node's response itself, for long-lived streams (the trap SSE
 * stream). Through a WHATWG ReadableStream, @hono/node-server keeps a reader, its promises and the
 * request's objects alive for as long as the stream lasts: with 1 000 open streams that is 10–12 MB of RSS
 * (measured for issue 17). The route still answers through hono, so every middleware sees and decorates the
 * response (request id, CORS, metrics); only the body bypasses the web stream.
 */
export interface DirectBody {
  /** Called once the head (status and the final headers) is written: writes the body, and ends it. */
  write(outgoing: ServerResponse): void;
  /** Called instead of write when the body will not be sent (the answer changed on its way out, or failed). */
  abandon(): void;
}

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>;

interface NodeBindings {
  outgoing: ServerResponse;
  /** Set by directBodies(): this server writes bodies that routes register with directBody(). */
  directBodies?: true;
}

const registered = new WeakMap<ServerResponse, { status: number; body: DirectBody }>();

/**
 * Wraps the app's fetch for @hono/node-server: once the app has answered, a body registered by the route
 * (directBody) is written after the head built from the final response, and node-server is told it was sent.
 */
export function directBodies(fetch: Fetch): Fetch {
  return (request, env) => {
    const bindings = env as NodeBindings;
    bindings.directBodies = true;
    const response = fetch(request, env);
    if (!(response instanceof Promise)) return settle(response, bindings.outgoing);
    return response.then(
      (answered) => settle(answered, bindings.outgoing),
      (err: unknown) => {
        takeRegistered(bindings.outgoing)?.body.abandon();
        throw err;
      },
    );
  };
}

/**
 * Registers `body` for this request and returns the response that carries its status and headers through
 * the middleware; undefined where the server cannot write bodies directly (app.request() in tests, another
 * adapter): the route then answers with a web stream.
 */
export function directBody(c: Context, status: 200, headers: Record<string, string>, body: DirectBody): Response | undefined {
  const bindings = c.env as Partial<NodeBindings> | undefined;
  if (!bindings?.directBodies || !bindings.outgoing) return undefined;
  registered.set(bindings.outgoing, { status, body });
  return c.body(null, status, headers);
}

function settle(response: Response, outgoing: ServerResponse): Response {
  const pending = takeRegistered(outgoing);
  if (!pending) return response;
  if (response.status !== pending.status || outgoing.headersSent || outgoing.destroyed) {
    pending.body.abandon();
    return response;
  }
  outgoing.writeHead(response.status, headerRecord(response.headers));
  pending.body.write(outgoing);
  // node-server writes nothing for it. It must be a native Response, which it is: the module is loaded
  // before node-server replaces the global Response when the server is created.
  return RESPONSE_ALREADY_SENT;
}

function takeRegistered(outgoing: ServerResponse): { status: number; body: DirectBody } | undefined {
  const pending = registered.get(outgoing);
  if (pending) registered.delete(outgoing);
  return pending;
}

function headerRecord(headers: Headers): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [name, value] of headers) record[name] = value;
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) record['set-cookie'] = cookies;
  return record;
}
