import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonRequest, testApp } from '../helpers/app.ts';
import { lineServer, type TcpPeer } from '../helpers/probe-peers.ts';

/**
 * Issue #11 finding 5: 200 targets, each with its own catastrophic pattern, against a listener whose
 * banner makes a backtracking engine explode. A slow-pattern memory keyed by text could not help (each
 * pattern is new), and the event loop froze for 20 s. With RE2 each evaluation is one linear pass.
 */

const BANNER = `${'a'.repeat(4095)}!`;
const TARGETS = 200;
/** The loop must keep ticking; a stall is seconds, so this does not depend on the machine's speed. */
const MAX_TICK_GAP_MS = 1000;

/** Largest delay between ticks of a 10 ms interval while `work` runs. */
async function maxTickGapDuring<T>(work: () => Promise<T>): Promise<{ result: T; maxGapMs: number }> {
  let last = performance.now();
  let maxGapMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    maxGapMs = Math.max(maxGapMs, performance.now() - last);
    return { result, maxGapMs };
  } finally {
    clearInterval(ticker);
  }
}

describe('expect patterns cannot stall the event loop', () => {
  let peer: TcpPeer;
  beforeAll(async () => {
    peer = await lineServer('127.0.0.1', BANNER);
  });
  afterAll(() => peer?.close());

  it(`${TARGETS} unique catastrophic patterns: the loop keeps ticking, /healthz answers meanwhile, every result is right`, async () => {
    const { app } = testApp();
    // Even targets can never match (the banner ends with "!"); odd ones match the whole banner.
    const targets = Array.from({ length: TARGETS }, (_, i) => ({
      host: '127.0.0.1',
      expect: i % 2 === 0 ? `^(a+)+$|nomatch${i}` : `^(a+)+!$|nomatch${i}`,
    }));
    const body = { port: peer.port, timeoutMs: 10_000, concurrency: 64, targets };

    const { result, maxGapMs } = await maxTickGapDuring(async () => {
      const batch = app.request(jsonRequest('/socket/probe', body));
      const health = await app.request('/healthz');
      return { response: await batch, healthStatus: health.status };
    });

    expect(result.healthStatus).toBe(200);
    expect(result.response.status).toBe(200);
    const { results } = (await result.response.json()) as { results: { ok: boolean; error?: { code: string }; match: { matched: boolean; groups: string[] } }[] };
    expect(results).toHaveLength(TARGETS);
    results.forEach((probe, i) => {
      if (i % 2 === 0) expect(probe).toMatchObject({ ok: false, error: { code: 'NO_MATCH' }, match: { matched: false } });
      else expect(probe).toMatchObject({ ok: true, match: { matched: true, groups: [BANNER.slice(0, -1)] } });
    });
    expect(maxGapMs).toBeLessThan(MAX_TICK_GAP_MS);
  });
});
