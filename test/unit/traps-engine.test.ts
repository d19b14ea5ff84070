import { describe, expect, it } from 'vitest';
import { makeEntry, type AppendOutcome, type BusEngine, type BusEntry, type BusWindow, type HistoryPage } from '../../src/events/bus-engine.ts';
import { DedupWindow } from '../../src/events/dedup.ts';
import { MemoryEngine } from '../../src/events/memory-engine.ts';
import { compareIdTexts, compareStreamIds, formatStreamId, parseStreamId, type StreamId } from '../../src/events/stream-id.ts';
import { EventBus, type BusItem, type Subscription } from '../../src/events/trap-bus.ts';
import { trapKeyCodec, type TrapEvent } from '../../src/events/trap-event.ts';
import { normalizeAddress } from '../../src/net/address.ts';
import { streamEntries, xreadEntries } from '../../src/redis/replies.ts';
import { trapFingerprint } from '../../src/snmp/trap-decode.ts';

describe('event ids', () => {
  it('parse `<ms>-<seq>` (and `<ms>` alone), order by ms then seq, refuse anything else', () => {
    expect(parseStreamId('1764327210744-12')).toEqual({ ms: 1764327210744, seq: 12 });
    expect(parseStreamId('42')).toEqual({ ms: 42, seq: 0 });
    for (const bad of ['', 'abc', '-1', '1-', '1-2-3', '1.5', '1234567890123456-0']) expect(parseStreamId(bad), bad).toBeUndefined();
    expect(compareIdTexts('10-2', '9-100')).toBeGreaterThan(0);
    expect(compareIdTexts('10-2', '10-10')).toBeLessThan(0);
    expect(['3-1', '2-9', '3-0'].sort(compareIdTexts)).toEqual(['2-9', '3-0', '3-1']);
    expect(formatStreamId({ ms: 7, seq: 0 })).toBe('7-0');
  });
});

describe('duplicate suppression', () => {
  it('a fingerprint is a duplicate within the window, new again after it', () => {
    let now = 0;
    const dedup = new DedupWindow(1000, 100, () => now);
    expect(dedup.claim('a')).toBe(true);
    expect(dedup.claim('a')).toBe(false);
    expect(dedup.claim('b')).toBe(true);
    now = 999;
    expect(dedup.claim('a')).toBe(false);
    now = 1000;
    expect(dedup.claim('a')).toBe(true);
  });

  it('remembers at most maxEntries fingerprints (the oldest are forgotten first)', () => {
    const dedup = new DedupWindow(60_000, 3, () => 0);
    for (const f of ['a', 'b', 'c', 'd']) expect(dedup.claim(f)).toBe(true);
    expect(dedup.size).toBe(3);
    expect(dedup.claim('a')).toBe(true); // forgotten: a duplicate gets through, never an event is lost
    expect(dedup.claim('d')).toBe(false);
  });

  it('the memory engine suppresses a duplicate and counts it', () => {
    const bus = new EventBus<{ id: string; n: number }, object>(busOptions(), new MemoryEngine({ dedupMs: 60_000 }));
    expect(bus.publish({ n: 1 }, { fingerprint: 'x' }).status).toBe('published');
    expect(bus.publish({ n: 2 }, { fingerprint: 'x' })).toEqual({ status: 'suppressed' });
    expect(bus.publish({ n: 3 }, { fingerprint: 'y' }).status).toBe('published');
    expect(bus.size).toBe(2);
    expect(bus.engine.stats().suppressed).toBe(1);
  });

  it('the fingerprint: source address, trapOid and varbinds, without sysUpTime.0', () => {
    const event = (uptime: number, overrides: Partial<TrapEvent> = {}): Omit<TrapEvent, 'id'> => ({
      receivedAt: new Date(uptime).toISOString(),
      source: { address: '192.0.2.1', port: 1000 + uptime },
      version: '2c',
      pduType: 'trapV2',
      trapOid: '1.3.6.1.6.3.1.1.5.3',
      uptime,
      varbinds: [
        { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: uptime },
        { oid: '1.3.6.1.2.1.2.2.1.1.2', type: 'Integer', value: 2 },
      ],
      ...overrides,
    });
    expect(trapFingerprint(event(1))).toBe(trapFingerprint(event(2)));
    expect(trapFingerprint(event(1))).not.toBe(trapFingerprint(event(1, { source: { address: '192.0.2.2', port: 1 } })));
    expect(trapFingerprint(event(1))).not.toBe(trapFingerprint(event(1, { trapOid: '1.3.6.1.6.3.1.1.5.4' })));
    expect(trapFingerprint(event(1))).not.toBe(trapFingerprint(event(1, { varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.2', type: 'Integer', value: 3 }] })));
  });
});

describe('what the Redis stream holds beside an event', () => {
  it('the filter fields round-trip; anything else is refused', () => {
    const key = { version: '2c' as const, trapOid: '1.3.6.1.6.3.1.1.5.3', source: normalizeAddress('2001:db8::7') };
    expect(trapKeyCodec.decode(trapKeyCodec.encode(key))).toEqual(key);
    expect(trapKeyCodec.decode(trapKeyCodec.encode({ ...key, source: undefined }))).toEqual({ ...key, source: undefined });
    // With an origin (snmpTrapAddress.0): a fourth word; entries written without one still decode.
    const withOrigin = { ...key, origin: normalizeAddress('192.0.2.7') };
    expect(trapKeyCodec.decode(trapKeyCodec.encode(withOrigin))).toEqual(withOrigin);
    expect(trapKeyCodec.decode(trapKeyCodec.encode({ ...withOrigin, source: undefined }))).toEqual({ ...withOrigin, source: undefined });
    for (const bad of ['', 'junk', '2 1.3.6 127.0.0.1', '2c not-an-oid 127.0.0.1', '2c 1.3.6', '2c 1.3.6 127.0.0.1 extra', '2c 1.3.6 127.0.0.1 192.0.2.7 more']) {
      expect(trapKeyCodec.decode(bad), bad).toBeUndefined();
    }
  });

  it('stream replies of an unexpected shape are refused, odd entries kept without fields', () => {
    expect(xreadEntries(null)).toEqual([]);
    expect(xreadEntries([['s', [['1-0', ['k', 'v', 'e', '{}']]]]])).toEqual([{ id: '1-0', fields: new Map([['k', 'v'], ['e', '{}']]) }]);
    for (const bad of ['OK', 42, [['s']], [['s', 'x']], [['s', [[1, []]]]], [1, 2]]) expect(xreadEntries(bad), JSON.stringify(bad)).toBeUndefined();
    expect(streamEntries([['1-0', 'not fields'], ['2-0', ['k', 1, 'e']]])).toEqual([
      { id: '1-0', fields: new Map() },
      { id: '2-0', fields: new Map() },
    ]);
  });
});

/**
 * An engine with a shared history (as the Redis engine has), over an array standing for the stream:
 * the bus's window holds only the newest events, subscribers further behind read the history.
 */
class ArrayStreamEngine implements BusEngine<object> {
  readonly kind = 'redis' as const;
  readonly stream: BusEntry<object>[] = [];
  window: BusWindow<object> | undefined;
  /** Entries appended to the stream but not yet read into the window (a reader behind). */
  unread = 0;
  reads = 0;

  attach(window: BusWindow<object>): void {
    this.window = window;
  }

  append({ body }: { body: string }): AppendOutcome {
    const id = `${1000 + this.stream.length}-0`;
    this.stream.push(makeEntry(id, {}, body));
    this.unread++;
    return { status: 'queued' };
  }

  /** The reader catches up with the stream. */
  read(): void {
    for (const entry of this.stream.slice(this.stream.length - this.unread)) this.window!.ingest(entry);
    this.unread = 0;
  }

  locate(id: StreamId) {
    const seq = this.window!.seqOf(id);
    return seq === undefined ? ({ kind: 'history' } as const) : ({ kind: 'seq', seq } as const);
  }

  readonly history = async (after: StreamId, limit: number): Promise<HistoryPage<object>> => {
    this.reads++;
    const entries = this.stream.filter((entry) => compareStreamIds(parseStreamId(entry.id)!, after) > 0).slice(0, limit);
    return { unknown: false, trimmed: false, entries, next: entries.length > 0 ? parseStreamId(entries.at(-1)!.id)! : after };
  };

  status() {
    return { engine: 'redis' as const, state: 'up' as const, backlog: { events: 0, bytes: 0 } };
  }

  stats() {
    return { dropped: {}, suppressed: 0, reconnects: 0 };
  }

  async close(): Promise<void> {}
}

function busOptions(bufferSize = 3, subscriberQueue = 2) {
  const unbounded = 1024 * 1024 * 1024;
  return {
    bufferSize,
    subscriberQueue,
    maxSubscribers: 10,
    bufferBytes: unbounded,
    maxEventBytes: unbounded,
    subscriberQueueBytes: unbounded,
    queuesMaxBytes: unbounded,
    keyOf: () => ({}),
  };
}

/** Takes and waits as the SSE writer does, until `count` events (or gaps) came. */
async function collect(sub: Subscription<{ id: string }, object>, count: number): Promise<BusItem<object>[]> {
  const items: BusItem<object>[] = [];
  while (items.length < count) {
    const taken = sub.take();
    items.push(...taken);
    if (taken.length === 0 && (await sub.wait(1000)) !== 'ready') break;
  }
  return items;
}

const itemIds = (items: BusItem<object>[]) => items.map((i) => (i.kind === 'event' ? i.id : `gap:${i.missed}`));

describe('a bus whose engine keeps history beyond the window', () => {
  it('a subscriber that fell behind the window reads the history, then continues from the window: no gap, no duplicate', async () => {
    const engine = new ArrayStreamEngine();
    const bus = new EventBus<{ id: string; n: number }, object>(busOptions(3, 2), engine);
    const slow = bus.subscribe();
    for (let n = 0; n < 10; n++) bus.publish({ n });
    engine.read(); // 2 queued, then lagged; the window keeps the newest 3 of 10
    const got = await collect(slow, 10);
    expect(itemIds(got)).toEqual(engine.stream.map((e) => e.id));
    expect(engine.reads).toBeGreaterThan(0);
    for (let n = 10; n < 12; n++) bus.publish({ n });
    engine.read();
    expect(itemIds(await collect(slow, 2))).toEqual(engine.stream.slice(10).map((e) => e.id));
  });

  it('resuming from an id the window no longer holds reads the history; from an id it has not received yet, waits for it', async () => {
    const engine = new ArrayStreamEngine();
    const bus = new EventBus<{ id: string; n: number }, object>(busOptions(3, 100), engine);
    for (let n = 0; n < 8; n++) bus.publish({ n });
    engine.read();
    const resumed = bus.subscribe({ after: engine.stream[1].id });
    expect(itemIds(await collect(resumed, 6))).toEqual(engine.stream.slice(2).map((e) => e.id));

    // Another replica's subscriber saw up to stream[9]; this window has only up to stream[7] so far.
    for (let n = 8; n < 12; n++) bus.publish({ n });
    const ahead = bus.subscribe({ after: engine.stream[9].id });
    expect(itemIds(await collect(ahead, 2))).toEqual(engine.stream.slice(10).map((e) => e.id));
    engine.read(); // the window receives stream[8..11]: already delivered, passed over
    bus.publish({ n: 12 });
    engine.read();
    expect(itemIds(await collect(ahead, 1))).toEqual([engine.stream[12].id]);
    expect(ahead.take()).toEqual([]);
  });
});
