// What the app does around every request (src/http/request-frame.ts), through a real @hono/node-server
// listener on loopback as main.ts serves it: there the request id goes on Node's response, not through hono.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { directBodies } from '../../src/http/direct-body.ts';
import { testDeps } from '../helpers/app.ts';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(deps: ReturnType<typeof testDeps>): Promise<string> {
  const server = createAdaptorServer({ fetch: directBodies(createApp(deps).fetch) }) as Server;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the request frame, served by node', () => {
  it('gives every answer a request id: a new UUID, or the caller’s own when it is a short token', async () => {
    const base = await serve(testDeps());
    const fresh = await fetch(`${base}/healthz`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-request-id')).toMatch(UUID);

    const echoed = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'job-42_retry=1' } });
    expect(echoed.headers.get('x-request-id')).toBe('job-42_retry=1');

    const unsafe = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'a b<script>' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(UUID);
    const tooLong = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'x'.repeat(256) } });
    expect(tooLong.headers.get('x-request-id')).toMatch(UUID);
  });

  it('sets the id once on problem answers and on answers refused before the route (413, 401)', async () => {
    const base = await serve(testDeps({ http: { bodyLimitBytes: 64 }, auth: { tokens: [{ name: 'ops', token: 's3cret-token-value-1', scopes: ['read'] }] } }));
    const missing = await fetch(`${base}/no/such/route`, { headers: { 'x-request-id': 'trace-1' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('trace-1');

    const tooLarge = await fetch(`${base}/snmp/get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-2' },
      body: JSON.stringify({ host: '127.0.0.1', oids: ['1.3.6.1.2.1.1.5.0'], padding: 'x'.repeat(100) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('x-request-id')).toBe('trace-2');

    const unauthorized = await fetch(`${base}/snmp/get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-3' },
      body: '{}',
    });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('x-request-id')).toBe('trace-3');
  });

  it('counts and times each request by its route pattern, method and status', async () => {
    const deps = testDeps();
    const base = await serve(deps);
    await fetch(`${base}/healthz`);
    await fetch(`${base}/healthz`);
    await fetch(`${base}/no/such/route`);
    const exposition = await (await fetch(`${base}/metrics`)).text();
    expect(exposition).toContain('netprobe_http_requests_total{route="/healthz",method="GET",status="200"} 2');
    expect(exposition).toContain('netprobe_http_requests_total{route="unmatched",method="GET",status="404"} 1');
    expect(exposition).toMatch(/netprobe_http_request_duration_seconds_count\{route="\/healthz",method="GET"\} 2/);
  });

  it('logs one line per request with its id, operation and status', async () => {
    const deps = testDeps({}, 'info');
    const base = await serve(deps);
    await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'trace-log' } });
    const line = deps.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.reqId === 'trace-log');
    expect(line).toMatchObject({ msg: 'request', method: 'GET', path: '/healthz', operation: '/healthz', status: 200 });
  });
});
