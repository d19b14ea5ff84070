import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentLimiter } from '../../src/snmp/agent-limiter.ts';
import { splitPoints, walkInRanges, type BatchFetch, type RangeWalkEnd } from '../../src/snmp/parallel-walk.ts';
import { TYPE_TAGS, type WireVarbind } from '../../src/snmp/varbind.ts';
import { compareOids } from '../../src/snmp/walk.ts';

/** A GETBULK over a sorted list of OIDs (an agent whose GETNEXT depends only on the OID asked after). */
function agent(oids: string[], repetitions: number, inFlight = { now: 0, most: 0 }): () => BatchFetch {
  const sorted = [...oids].sort(compareOids);
  return () => async (after) => {
    inFlight.now++;
    inFlight.most = Math.max(inFlight.most, inFlight.now);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
    inFlight.now--;
    const from = sorted.findIndex((oid) => compareOids(oid, after) > 0);
    if (from < 0) return 'endOfMibView';
    const batch: WireVarbind[] = sorted.slice(from, from + repetitions).map((oid) => ({ oid, type: TYPE_TAGS.Integer, value: 1 }));
    if (batch.length < repetitions) batch.push({ oid: batch.at(-1)!.oid, type: TYPE_TAGS.EndOfMibView, value: null });
    return batch;
  };
}

async function collect(walk: AsyncGenerator<WireVarbind[], RangeWalkEnd>): Promise<{ oids: string[]; end: RangeWalkEnd }> {
  const oids: string[] = [];
  for (let step = await walk.next(); ; step = await walk.next()) {
    if (step.done) return { oids, end: step.value };
    for (const vb of step.value) oids.push(vb.oid);
  }
}

const arc = fc.integer({ min: 0, max: 4 });
const oidUnder = (root: string) => fc.array(arc, { minLength: 1, maxLength: 4 }).map((arcs) => `${root}.${arcs.join('.')}`);

describe('walkInRanges', () => {
  it('gives the single-range walk for any split points, parallelism, repetitions and limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.oneof(oidUnder('1.3.6'), oidUnder('1.3.7'), oidUnder('1.3.5')), { minLength: 1, maxLength: 60 }),
        fc.uniqueArray(oidUnder('1.3.6'), { maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 80 }),
        fc.boolean(),
        async (oids, rawPoints, parallel, repetitions, limit, buffered) => {
          const points = [...rawPoints].sort(compareOids);
          const base = { root: '1.3.6', limit, buffered, fetcher: agent(oids, repetitions) };
          const serial = await collect(walkInRanges({ ...base, points: [], parallel: 1 }));
          const inFlight = { now: 0, most: 0 };
          const ranges = await collect(walkInRanges({ ...base, points, parallel, fetcher: agent(oids, repetitions, inFlight) }));
          expect(ranges.oids).toEqual(serial.oids);
          const subtree = oids.filter((o) => o.startsWith('1.3.6.')).sort(compareOids);
          expect(ranges.oids).toEqual(subtree.slice(0, limit));
          // A subtree of exactly `limit` varbinds: whether the end is seen depends on where the replies break, as serially.
          if (subtree.length !== limit) expect(ranges.end).toEqual(serial.end);
          expect(inFlight.most).toBeLessThanOrEqual(parallel);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('takes an instance at a split point once, in the range that ends there', async () => {
    const oids = ['1.3.6.1', '1.3.6.2', '1.3.6.2.1', '1.3.6.3'];
    const { oids: got, end } = await collect(walkInRanges({ root: '1.3.6', points: ['1.3.6.2', '1.3.6.2.1'], parallel: 3, limit: 100, buffered: true, fetcher: agent(oids, 1) }));
    expect(got).toEqual(oids);
    expect(end.stopReason).toBe('endOfMibView');
  });

  it('fails with an error only when the walk reaches its range, and stops at a non-increasing OID', async () => {
    const failing = (bad: string) => () => async (after: string): Promise<WireVarbind[]> => {
      if (after === bad) throw new Error('agent error');
      const next = after === '1.3.6' ? '1.3.6.1' : after === '1.3.6.1' ? '1.3.6.0' : '1.3.7';
      return [{ oid: next, type: TYPE_TAGS.Integer, value: 1 }];
    };
    const stopped = await collect(walkInRanges({ root: '1.3.6', points: ['1.3.6.5'], parallel: 2, limit: 100, buffered: false, fetcher: failing('1.3.6.5') }));
    expect(stopped.oids).toEqual(['1.3.6.1']);
    expect(stopped.end).toMatchObject({ stopReason: 'nonIncreasingOid', nonIncreasingOid: { previous: '1.3.6.1', received: '1.3.6.0' } });
    await expect(collect(walkInRanges({ root: '1.3.6', points: ['1.3.6.5'], parallel: 2, limit: 100, buffered: false, fetcher: failing('1.3.6') }))).rejects.toThrow('agent error');
  });
});

describe('splitPoints', () => {
  it('splits at every known node, or at an evenly spread subset of them', () => {
    const known = ['1.1', '1.1.1', '1.1.2', '1.2', '1.3'];
    expect(splitPoints(known)).toEqual(known);
    expect(splitPoints(known, 2)).toEqual(['1.1', '1.1.2']);
  });
});

describe('AgentLimiter', () => {
  it('lets at most max through per agent, in order, and lets an aborted waiter go', async () => {
    const limiter = new AgentLimiter(2);
    const a = await limiter.acquire('x');
    const b = await limiter.acquire('x');
    const other = await limiter.acquire('y');
    const order: string[] = [];
    const c = limiter.acquire('x').then((release) => (order.push('c'), release));
    const abort = new AbortController();
    const d = limiter.acquire('x', abort.signal);
    const e = limiter.acquire('x').then((release) => (order.push('e'), release));
    abort.abort();
    await expect(d).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(limiter.inFlight('x')).toBe(2);
    a();
    a(); // twice does nothing
    (await c)();
    b();
    (await e)();
    other();
    expect(order).toEqual(['c', 'e']);
    expect(limiter.inFlight('x')).toBe(0);
  });

  it('gives a free slot at once (tryAcquire), and none while the agent is at its cap or others wait', async () => {
    const limiter = new AgentLimiter(1);
    const first = limiter.tryAcquire('x');
    expect(first).toBeTypeOf('function');
    expect(limiter.tryAcquire('x')).toBeUndefined();
    const waiter = limiter.acquire('x');
    first!();
    const second = await waiter; // the slot passed to the waiter, not to a later tryAcquire
    expect(limiter.tryAcquire('x')).toBeUndefined();
    second();
    expect(limiter.inFlight('x')).toBe(0);
    const third = limiter.tryAcquire('x');
    expect(limiter.inFlight('x')).toBe(1);
    third!();
  });
});
