import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.ts';
import { silentTcpServer, type TcpPeer } from '../helpers/probe-peers.ts';

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('POST /socket/probe over a real HTTP server', () => {
  let server: Server;
  let port: number;
  let silent: TcpPeer;

  beforeAll(async () => {
    silent = await silentTcpServer();
    const { app } = testApp();
    server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await silent?.close();
  });

  it('a client that goes away cancels its in-flight probes and their sockets are closed', async () => {
    const body = JSON.stringify({
      targets: Array.from({ length: 3 }, () => ({ host: '127.0.0.1', port: silent.port })),
      expect: 'never',
      timeoutMs: 20_000,
    });
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/socket/probe', headers: { 'content-type': 'application/json' } });
    req.on('error', () => undefined);
    req.end(body);

    await until(() => silent.open === 3, 5000);
    req.destroy();
    // Far sooner than the 20 s deadline: the request signal aborted the probes.
    await until(() => silent.open === 0, 3000);
    expect(silent.open).toBe(0);
  });
});
