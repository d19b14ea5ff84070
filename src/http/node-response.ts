import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/**
 * Node's own response for this request under @hono/node-server (its `outgoing` binding); undefined elsewhere
 * (app.request() in tests, another adapter), where only hono's Request and Response exist.
 */
export function nodeResponse(c: Context): ServerResponse | undefined {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  return outgoing && typeof outgoing.once === 'function' && typeof outgoing.setHeader === 'function' ? outgoing : undefined;
}
