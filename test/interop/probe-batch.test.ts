import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonRequest, testApp } from '../helpers/app.ts';
import { planFor, probeService } from '../helpers/probe-app.ts';
import {
  closedPort,
  countingServer,
  openFdCount,
  silentTcpServer,
  silentUdpServer,
  type TcpPeer,
  type UdpPeer,
} from '../helpers/probe-peers.ts';
import type { ProbeResult } from '../../src/probe/types.ts';

const service = probeService();

describe('batches on loopback', () => {
  let counting: Awaited<ReturnType<typeof countingServer>>;
  let silentTcp: TcpPeer;
  let silentUdp: UdpPeer;
  let closedTcp: number;
  let closedTcp6: number;

  beforeAll(async () => {
    counting = await countingServer('127.0.0.1', 5);
    silentTcp = await silentTcpServer();
    silentUdp = await silentUdpServer();
    closedTcp = await closedPort('tcp');
    closedTcp6 = await closedPort('tcp', '::1');
  });
  afterAll(async () => {
    await Promise.all([counting?.close(), silentTcp?.close(), silentUdp?.close()]);
  });

  it('1000 mixed open/closed targets: 1000 results in input order, concurrency respected, no fd leak', async () => {
    const concurrency = 50;
    const targets = Array.from({ length: 1000 }, (_, i) =>
      i % 3 === 2 ? { host: '127.0.0.1', port: closedTcp } : { host: '127.0.0.1', port: counting.port, send: `${i}\n` },
    );
    const plan = planFor({ targets, expect: '^pong:(\\d+)', timeoutMs: 5000, concurrency });
    expect(plan.kind).toBe('batch');
    if (plan.kind !== 'batch') return;

    const fdsBefore = await openFdCount();
    const results = await service.probeBatch(plan.specs, plan.concurrency);
    const fdsAfter = await openFdCount(300);

    expect(results).toHaveLength(1000);
    results.forEach((result, i) => {
      if (i % 3 === 2) {
        expect(result, `result ${i}`).toMatchObject({ ok: false, state: 'closed', port: closedTcp, error: { code: 'REFUSED' } });
      } else {
        expect(result, `result ${i}`).toMatchObject({ ok: true, state: 'open', port: counting.port, match: { matched: true, groups: [String(i)] } });
      }
    });
    expect(counting.stats.maxInFlight).toBeLessThanOrEqual(concurrency);
    expect(counting.stats.maxInFlight).toBeGreaterThan(1);
    expect(fdsAfter).toBeLessThanOrEqual(fdsBefore);
  });

  it('a batch of failures (timeouts, refusals, UDP silence, failed handshakes, DNS) leaks no fd', async () => {
    const targets = [
      ...Array.from({ length: 100 }, () => ({ host: '127.0.0.1', port: silentTcp.port, expect: 'never' })),
      // Refusals come back at once; a long deadline keeps a loaded CI host from turning them into timeouts.
      ...Array.from({ length: 100 }, () => ({ host: '127.0.0.1', port: closedTcp, timeoutMs: 5000 })),
      ...Array.from({ length: 100 }, () => ({ host: '::1', port: closedTcp6, timeoutMs: 5000 })),
      ...Array.from({ length: 50 }, () => ({ host: '127.0.0.1', port: silentUdp.port, protocol: 'udp' as const })),
      ...Array.from({ length: 50 }, () => ({ host: '127.0.0.1', port: silentTcp.port, protocol: 'tls' as const })),
      // The system resolver answers .invalid itself or asks upstream: give it time, this case is about DNS, not the deadline.
      ...Array.from({ length: 5 }, () => ({ host: 'nonexistent.invalid', port: 80, timeoutMs: 5000 })),
    ];
    const plan = planFor({ targets, timeoutMs: 300, concurrency: 128 });
    if (plan.kind !== 'batch') throw new Error('expected a batch');

    const fdsBefore = await openFdCount();
    const results = await service.probeBatch(plan.specs, plan.concurrency);
    const fdsAfter = await openFdCount(300);

    const codes = (from: number, to: number) => new Set(results.slice(from, to).map((r: ProbeResult) => r.error?.code));
    expect(codes(0, 100)).toEqual(new Set(['TIMEOUT']));
    expect(codes(100, 300)).toEqual(new Set(['REFUSED']));
    expect(new Set(results.slice(300, 350).map((r) => r.state))).toEqual(new Set(['open|filtered']));
    expect(codes(350, 400)).toEqual(new Set(['TIMEOUT']));
    expect(codes(400, 405)).toEqual(new Set(['DNS']));
    expect(fdsAfter).toBeLessThanOrEqual(fdsBefore);
  });

  it('through the HTTP app: results in order plus a summary; per-target overrides apply', async () => {
    const { app } = testApp();
    const res = await app.request(
      jsonRequest('/socket/probe', {
        protocol: 'tcp',
        timeoutMs: 2000,
        concurrency: 4,
        targets: [
          { host: '127.0.0.1', port: counting.port, send: 'a\n', expect: '^pong:a' },
          { host: '127.0.0.1', port: closedTcp },
          { host: '127.0.0.1', port: silentUdp.port, protocol: 'udp', timeoutMs: 200 },
          { host: '::1', port: closedTcp6 },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: ProbeResult[]; summary: Record<string, unknown> };
    expect(body.results.map((r) => [r.protocol, r.state])).toEqual([
      ['tcp', 'open'],
      ['tcp', 'closed'],
      ['udp', 'open|filtered'],
      ['tcp', 'closed'],
    ]);
    expect(body.summary).toMatchObject({ total: 4, ok: 1, failed: 3, byState: { open: 1, closed: 2, 'open|filtered': 1 } });
  });
});
