// Bodies a route writes to Node's response itself (src/http/direct-body.ts), through a real
// @hono/node-server listener on loopback: the head carries what middleware set, and a body whose answer
// changed on its way out is abandoned, never written.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { directBodies, directBody } from '../../src/http/direct-body.ts';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(app: Hono): Promise<string> {
  const server = createAdaptorServer({ fetch: directBodies(app.fetch) }) as Server;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    body: {
      write: (outgoing: import('node:http').ServerResponse) => {
        calls.push('write');
        outgoing.write('one\n');
        setTimeout(() => outgoing.end('two\n'), 10);
      },
      abandon: () => calls.push('abandon'),
    },
  };
}

describe('direct bodies', () => {
  it('are written after the head, which carries the headers middleware set before and after the route', async () => {
    const app = new Hono();
    const { calls, body } = recorder();
    app.use(async (c, next) => {
      c.header('x-before', 'b');
      await next();
      c.res.headers.set('x-after', 'a');
    });
    app.get('/stream', (c) => directBody(c, 200, { 'content-type': 'text/plain' }, body) ?? c.text('no direct body', 500));
    const res = await fetch(`${await serve(app)}/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-before')).toBe('b');
    expect(res.headers.get('x-after')).toBe('a');
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(await res.text()).toBe('one\ntwo\n');
    expect(calls).toEqual(['write']);
  });

  it('are abandoned when the answer changed on its way out (middleware replaced it, or threw)', async () => {
    const app = new Hono();
    const replaced = recorder();
    const thrown = recorder();
    app.use('/replaced', async (c, next) => {
      await next();
      c.res = c.text('replaced', 503);
    });
    app.use('/thrown', async (_c, next) => {
      await next();
      throw new Error('after the route');
    });
    app.onError((_err, c) => c.text('failed', 500));
    app.get('/replaced', (c) => directBody(c, 200, {}, replaced.body) ?? c.text('no direct body', 500));
    app.get('/thrown', (c) => directBody(c, 200, {}, thrown.body) ?? c.text('no direct body', 500));
    const base = await serve(app);
    const first = await fetch(`${base}/replaced`);
    expect([first.status, await first.text()]).toEqual([503, 'replaced']);
    expect(replaced.calls).toEqual(['abandon']);
    const second = await fetch(`${base}/thrown`);
    expect([second.status, await second.text()]).toEqual([500, 'failed']);
    expect(thrown.calls).toEqual(['abandon']);
  });

  it('are not offered where the server does not write them (app.request): the route answers otherwise', async () => {
    const app = new Hono();
    const { calls, body } = recorder();
    app.get('/stream', (c) => directBody(c, 200, {}, body) ?? c.text('a web stream instead'));
    const res = await app.request('/stream');
    expect(await res.text()).toBe('a web stream instead');
    expect(calls).toEqual([]);
  });
});
