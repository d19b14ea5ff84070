import autocannon, { type AutocannonOptions } from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  durationMs: number;
  ok: number;
  failed: number;
}

/**
 * Runs autocannon and summarizes it. Fails when more than 1% of the requests did not answer 2xx:
 * errors answered fast would otherwise pass for throughput.
 */
export async function load(options: AutocannonOptions): Promise<LoadResult> {
  const result = await autocannon({ timeout: 10, ...options });
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > Math.max(1, (ok + failed) * 0.01)) {
    throw new Error(`${options.url}: ${failed} of ${ok + failed} requests failed (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);
  }
  return {
    requestsPerSecond: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    durationMs: result.duration * 1000,
    ok,
    failed,
  };
}
