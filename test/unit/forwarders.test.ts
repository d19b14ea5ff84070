import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { backoffMs, outcomeOf, retryAfterMs, signature } from '../../src/events/forwarders/delivery.ts';
import { MemoryForwarderQueue } from '../../src/events/forwarders/queue.ts';
import { shownUrl } from '../../src/events/forwarders/schemas.ts';
import { makeEntry, type BusEntry } from '../../src/events/bus-engine.ts';

describe('delivery rules', () => {
  it('signs `<timestamp>.<body>` with HMAC-SHA256, as a receiver recomputes it', () => {
    const expected = createHmac('sha256', 'k'.repeat(16)).update('1700000000.{"id":"1-1"}').digest('hex');
    expect(signature('k'.repeat(16), '1700000000', '{"id":"1-1"}')).toBe(`sha256=${expected}`);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffMs(1, 500, 60_000, () => 0.999)).toBe(499);
    expect(backoffMs(4, 500, 60_000, () => 0.5)).toBe(2000);
    expect(backoffMs(40, 500, 60_000, () => 0.999)).toBe(59_940);
    expect(backoffMs(3, 500, 60_000, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-03T02:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Thu, 03 Dec 2026 02:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Thu, 03 Dec 2026 01:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('2xx acknowledges; 408, 429 and 5xx are retried; other 4xx and 3xx are dead-lettered', () => {
    expect([200, 202, 204].map(outcomeOf)).toEqual(['ok', 'ok', 'ok']);
    expect([408, 429, 500, 502, 503].map(outcomeOf)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry']);
    expect([301, 400, 401, 403, 404, 410, 422].map(outcomeOf)).toEqual(Array(7).fill('reject'));
  });

  it('shows a URL without its query', () => {
    expect(shownUrl('https://hooks.example.net:8443/t/abc?token=secret')).toBe('https://hooks.example.net:8443/t/abc?…');
  });
});

describe('MemoryForwarderQueue', () => {
  const entry = (n: number, bytes = 10): BusEntry<{ n: number }> => makeEntry(`1-${n}`, { n }, `{"x":"${'a'.repeat(bytes)}"}`);

  it('is bounded by count and bytes; what does not fit is dropped and counted; filtered events are not queued', async () => {
    let listener: ((e: BusEntry<{ n: number }>) => void) | undefined;
    const queue = new MemoryForwarderQueue<{ n: number }>({ tap: (l) => ((listener = l), () => (listener = undefined)) }, { filter: (k) => k.n % 2 === 0, maxEvents: 3, maxBytes: 1000 });
    queue.start();
    for (let n = 1; n <= 10; n++) listener!(entry(n));
    expect(queue.depth().events).toBe(3);
    expect(queue.dropped).toBe(2);
    expect((await queue.next(10, 0))!.map((e) => e.id)).toEqual(['1-2', '1-4', '1-6']);
    listener!(entry(12, 2000));
    expect(queue.dropped).toBe(3);
    queue.close();
    expect(listener).toBeUndefined();
    expect(await queue.next(1, 0)).toBeUndefined();
  });

  it('waits up to maxWaitMs after the first event for a batch to fill', async () => {
    let listener: ((e: BusEntry<{ n: number }>) => void) | undefined;
    const queue = new MemoryForwarderQueue({ tap: (l) => ((listener = l), () => {}) }, { filter: undefined, maxEvents: 100, maxBytes: 1 << 20 });
    queue.start();
    const batch = queue.next(3, 10_000);
    listener!(entry(1));
    setTimeout(() => listener!(entry(2)), 10);
    setTimeout(() => listener!(entry(3)), 20);
    expect((await batch)!.map((e) => e.id)).toEqual(['1-1', '1-2', '1-3']);
    listener!(entry(4));
    expect((await queue.next(3, 30))!.map((e) => e.id)).toEqual(['1-4']);
  });
});

describe('TRAP_FORWARDERS configuration', () => {
  it('JSON in the environment, secrets and header values from env or a mounted file, defaults filled in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netprobe-fw-config-'));
    writeFileSync(join(dir, 'auth'), 'Bearer from-file\n');
    const forwarders = [{ name: 'a', url: 'http://127.0.0.1:9000/h', secret: { env: 'S' }, headers: { Authorization: { file: join(dir, 'auth') } } }];
    const result = loadConfig({ TRAP_FORWARDERS: JSON.stringify(forwarders), S: 'sixteen-chars-secret' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.traps.forwarders[0]).toMatchObject({
      secret: 'sixteen-chars-secret',
      headers: { Authorization: 'Bearer from-file' },
      batch: { maxEvents: 1, maxWaitMs: 1000 },
      retry: { maxAttempts: 0 },
      queue: { maxEvents: 10_000 },
      filter: {},
    });
  });

  it('names what is wrong, where', () => {
    const result = loadConfig({
      TRAP_FORWARDERS: JSON.stringify([{ name: 'a', url: 'http://user:pw@127.0.0.1/', headers: { 'Idempotency-Key': 'x' }, filter: { source: 'nope' }, secret: 'short' }]),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.issues.map((i) => `${i.source}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'TRAP_FORWARDERS: 0.url: credentials do not go in the URL: use headers (e.g. Authorization from { env } or { file })',
        'TRAP_FORWARDERS: 0.headers.Idempotency-Key: Idempotency-Key is set by netprobe',
        'TRAP_FORWARDERS: 0.filter.source: must be an IP address or a CIDR range (192.0.2.0/24, 2001:db8::/32)',
        'TRAP_FORWARDERS: 0.secret: a signing secret has at least 16 characters',
      ]),
    );
  });
});
