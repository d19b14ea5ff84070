import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problem, problemResponse } from './problem.ts';
import type { AppEnv } from './types.ts';

/**
 * Refuses bodies above `maxBytes` with 413. A declared Content-Length is checked from the header alone;
 * only a body without one (chunked) is counted as it streams, by hono's bodyLimit. Hono's middleware
 * alone would touch `c.req.raw.body` on every request, which under @hono/node-server builds a whole
 * WHATWG Request and costs a third of a small route's time.
 */
export function bodyLimitGuard(maxBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge: Parameters<typeof bodyLimit>[0]['onError'] = (c) =>
    problemResponse(c, problem(413, 'payload-too-large', 'The request body is too large', `The limit is ${maxBytes} bytes.`));
  const streaming = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  // Synchronous on the common path (a declared length): a middleware that awaits nothing adds no async step.
  return (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > maxBytes ? Promise.resolve(tooLarge(c)) : next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return streaming(c, next);
  };
}
