import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeBatchResult } from '../../src/probe/schemas.ts';
import { jsonRequest, testApp } from '../helpers/app.ts';
import { closedPort, silentTcpServer, type TcpPeer } from '../helpers/probe-peers.ts';

/** Scans: ports as lists and ranges, hosts as CIDR ranges, expanded in order, under the target policy. */

let open: TcpPeer[] = [];
let closed: number;
/** A listener on 127.0.0.2 only: in a scan of 127.0.0.0/30 it is the one open address. */
let second: TcpPeer;

beforeAll(async () => {
  open = await Promise.all([silentTcpServer(), silentTcpServer()]);
  closed = await closedPort('tcp');
  second = await silentTcpServer('127.0.0.2');
});

afterAll(async () => {
  for (const peer of [...open, second]) await peer?.close();
});

async function probe(body: unknown, overrides = {}) {
  const { app } = testApp(overrides);
  const res = await app.request(jsonRequest('/socket/probe', body));
  return { status: res.status, body: (await res.json()) as any };
}

describe('ports as lists and ranges', () => {
  it('"a,b,c-d" probes every port, in the order given, and answers a batch', async () => {
    const [a, b] = open.map((peer) => peer.port);
    const res = await probe({ host: '127.0.0.1', port: `${a}, ${closed},${b}-${b}`, timeoutMs: 2000 });
    expect(res.status).toBe(200);
    const batch = res.body as ProbeBatchResult;
    expect(batch.results.map((r) => [r.port, r.state])).toEqual([
      [a, 'open'],
      [closed, 'closed'],
      [b, 'open'],
    ]);
    expect(batch.summary).toMatchObject({ total: 3, ok: 2, failed: 1 });
  });

  it('refuses ports out of range and reversed ranges, naming the field', async () => {
    for (const port of ['0', '70000', '90-80', '22,,23']) {
      const res = await probe({ host: '127.0.0.1', port });
      expect(res.status, port).toBe(400);
      expect(res.body.errors[0].path).toBe('body.port');
    }
  });
});

describe('hosts as CIDR ranges', () => {
  it('every address of the range, in order, each under the target policy', async () => {
    const res = await probe({ host: '127.0.0.0/30', port: second.port, timeoutMs: 2000 }, { policy: { deny: ['127.0.0.3/32'] } });
    expect(res.status).toBe(200);
    const batch = res.body as ProbeBatchResult;
    expect(batch.results.map((r) => [r.host, r.state, r.error?.code ?? null])).toEqual([
      ['127.0.0.0', 'closed', 'REFUSED'],
      ['127.0.0.1', 'closed', 'REFUSED'],
      ['127.0.0.2', 'open', null],
      ['127.0.0.3', 'error', 'POLICY'],
    ]);
  });

  it('hosts and ports together, host by host; and in a batch target', async () => {
    const res = await probe({ targets: [{ host: '127.0.0.1/31', port: `${open[0].port},${closed}` }], timeoutMs: 2000 });
    const batch = res.body as ProbeBatchResult;
    expect(batch.results.map((r) => `${r.host}:${r.port}`)).toEqual([
      `127.0.0.0:${open[0].port}`,
      `127.0.0.0:${closed}`,
      `127.0.0.1:${open[0].port}`,
      `127.0.0.1:${closed}`,
    ]);
  });

  it('is bounded by PROBE_MAX_BATCH, with the reason', async () => {
    const res = await probe({ host: '127.0.0.0/16', port: 80 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: 'body.host', message: expect.stringMatching(/65536 addresses; a scan may have at most 1024 \(PROBE_MAX_BATCH\)/) });
    const both = await probe({ host: '127.0.0.0/24', port: '1-10' });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].message).toMatch(/expand to 2560 probes/);
  });
});
