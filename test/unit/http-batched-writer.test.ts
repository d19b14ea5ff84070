import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchedWriter } from '../../src/http/batched-writer.ts';

describe('BatchedWriter: streamed text written in batches, by size or by age', () => {
  let writes: string[];
  let writer: BatchedWriter;

  beforeEach(() => {
    vi.useFakeTimers();
    writes = [];
    writer = new BatchedWriter(async (text) => void writes.push(text), { maxChars: 10, maxDelayMs: 20 });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds text until the batch is full, then writes it all at once', async () => {
    await writer.add('abc\n');
    await writer.add('def\n');
    expect(writes).toEqual([]);
    await writer.add('ghij\n');
    expect(writes).toEqual(['abc\ndef\nghij\n']);
    await writer.add('k\n');
    expect(writes).toHaveLength(1);
  });

  it('writes what waits once the oldest text has waited maxDelayMs, whether or not more comes', async () => {
    await writer.add('a\n');
    await vi.advanceTimersByTimeAsync(15);
    await writer.add('b\n');
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(5);
    expect(writes).toEqual(['a\nb\n']);
    await writer.add('c\n');
    await vi.advanceTimersByTimeAsync(19);
    expect(writes).toEqual(['a\nb\n']);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('flush writes the rest (nothing when nothing waits) and stops the timer', async () => {
    await writer.add('a\n');
    await writer.flush();
    await writer.flush();
    await vi.advanceTimersByTimeAsync(100);
    expect(writes).toEqual(['a\n']);
  });

  it('discard drops what waits and writes nothing later', async () => {
    await writer.add('a\n');
    writer.discard();
    await vi.advanceTimersByTimeAsync(100);
    expect(writes).toEqual([]);
  });

  it('a full batch resolves only once its write has (backpressure)', async () => {
    let finish!: () => void;
    const slow = new BatchedWriter((text) => new Promise<void>((resolve) => ((finish = resolve), writes.push(text))), { maxChars: 4, maxDelayMs: 20 });
    let settled = false;
    const adding = slow.add('abcdef').then(() => (settled = true));
    await Promise.resolve();
    expect(writes).toEqual(['abcdef']);
    expect(settled).toBe(false);
    finish();
    await adding;
    expect(settled).toBe(true);
  });
});
