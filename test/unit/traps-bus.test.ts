import { describe, expect, it } from 'vitest';
import type { AppendOutcome } from '../../src/events/bus-engine.ts';
import { MemoryEngine } from '../../src/events/memory-engine.ts';
import { ENTRY_OVERHEAD_BYTES, EventBus, SubscriptionRefused, type BusEntry, type BusItem, type BusOptions, type Subscription } from '../../src/events/trap-bus.ts';

interface TestEvent {
  id: string;
  tag: string;
}

type TestKey = { tag: string };
type TestBus = EventBus<TestEvent, TestKey>;

const UNBOUNDED = 1024 * 1024 * 1024;

function bus(bufferSize = 5, subscriberQueue = 3, maxSubscribers = 10, bytes: Partial<BusOptions<TestEvent, TestKey>> = {}): TestBus {
  return new EventBus<TestEvent, TestKey>(
    {
      bufferSize,
      subscriberQueue,
      maxSubscribers,
      bufferBytes: UNBOUNDED,
      maxEventBytes: UNBOUNDED,
      subscriberQueueBytes: UNBOUNDED,
      queuesMaxBytes: UNBOUNDED,
      keyOf: (event) => ({ tag: event.tag }),
      ...bytes,
    },
    new MemoryEngine({ dedupMs: 0 }),
  );
}

/** The id the event got, or undefined when it was refused. */
function idOf(outcome: AppendOutcome): string | undefined {
  return outcome.status === 'published' ? outcome.id : undefined;
}

/** Publishes `count` events; returns their ids, in order. */
function publish(b: TestBus, count: number, tag = 'x'): string[] {
  return Array.from({ length: count }, () => idOf(b.publish({ tag }))!);
}

/** Takes until nothing is left, as the SSE writer does. */
function drain(sub: Subscription<TestEvent, TestKey>, maxBytes?: number): BusItem<TestKey>[] {
  const all: BusItem<TestKey>[] = [];
  for (let items = sub.take(maxBytes); items.length > 0; items = sub.take(maxBytes)) all.push(...items);
  return all;
}

const ids = (items: BusItem<TestKey>[]) => items.map((i) => (i.kind === 'event' ? i.id : `gap:${i.missed}`));
const entryIds = (entries: BusEntry<TestKey>[]) => entries.map((e) => e.id);
const filterTag = (tag: string) => (key: TestKey) => key.tag === tag;

describe('ring buffer', () => {
  it('assigns increasing ids, `<start ms>-<n>`, and serializes each event once', () => {
    const b = bus();
    const first = idOf(b.publish({ tag: 'a' }))!;
    const second = idOf(b.publish({ tag: 'b' }))!;
    expect(first).toMatch(/^\d+-1$/);
    expect(second).toBe(first.replace(/-1$/, '-2'));
    expect(b.read(0, undefined, 10).entries.map((e) => e.json)).toEqual([`{"id":"${first}","tag":"a"}`, `{"id":"${second}","tag":"b"}`]);
  });

  it('ids never repeat across restarts: a bus started later issues other, greater ids, and treats the earlier ones as unknown', async () => {
    const earlier = bus();
    const earlierIds = publish(earlier, 3);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = bus();
    const laterIds = publish(later, 3);
    for (const id of laterIds) expect(earlierIds).not.toContain(id);
    expect(laterIds.map((id) => Number(id.split('-')[0]))[0]).toBeGreaterThan(Number(earlierIds[0].split('-')[0]));
    // Resuming on the later bus with an id of the earlier one: a gap of unknown size, then everything held.
    expect(ids(drain(later.subscribe({ after: earlierIds[2] })))).toEqual(['gap:null', ...laterIds]);
  });

  it('wraps around, keeping the newest bufferSize events', () => {
    const b = bus(5);
    const all = publish(b, 12);
    expect(b.lastId).toBe(all[11]);
    expect(b.oldestSeq).toBe(8);
    expect(b.size).toBe(5);
    expect(entryIds(b.recent(100))).toEqual(all.slice(7));
    expect(entryIds(b.recent(2))).toEqual(all.slice(10));
  });

  it('since(): events after an id, a gap count when the id is older than the buffer, nothing after the newest', () => {
    const b = bus(5);
    const all = publish(b, 12);
    expect(b.read(9, undefined, 100)).toMatchObject({ missed: 0, position: 12 });
    expect(entryIds(b.read(9, undefined, 100).entries)).toEqual(all.slice(9));
    const old = b.read(2, undefined, 100);
    expect(old.missed).toBe(5); // 3..7 are gone
    expect(entryIds(old.entries)).toEqual(all.slice(7));
    expect(b.read(7, undefined, 100).missed).toBe(0);
    expect(b.read(12, undefined, 100)).toEqual({ missed: 0, entries: [], position: 12 });
  });

  it('since() with an id this run never issued: unknown gap (null) and the whole buffer', () => {
    const b = bus(5);
    const all = publish(b, 3);
    const unknown = all[2].replace(/-3$/, '-500');
    expect(ids(drain(b.subscribe({ after: unknown })))).toEqual(['gap:null', ...all]);
  });

  it('read() honours the filter and the limit, and reports how far it scanned', () => {
    const b = bus(10);
    const all = ['a', 'b', 'a', 'b', 'a'].map((tag) => idOf(b.publish({ tag }))!);
    const result = b.read(0, filterTag('a'), 2);
    expect(entryIds(result.entries)).toEqual([all[0], all[2]]);
    expect(result.position).toBe(3);
    expect(entryIds(b.recent(10, filterTag('b')))).toEqual([all[1], all[3]]);
  });

  it('also evicts the oldest events when the buffered bytes (JSON plus overhead) exceed bufferBytes', () => {
    const engine = new MemoryEngine<TestKey>({ dedupMs: 0 });
    const eventBytes = (n: number) => `{"id":"${engine.epochMs}-${n}","tag":"xxxxxxxxxxxxxxxxxxxx"}`.length + ENTRY_OVERHEAD_BYTES;
    const b = new EventBus<TestEvent, TestKey>({ ...bus().options, bufferSize: 100, bufferBytes: eventBytes(9) + eventBytes(10) }, engine);
    publish(b, 10, 'x'.repeat(20));
    expect(b.bufferedBytes).toBe(eventBytes(9) + eventBytes(10));
    expect(b.size).toBe(2);
    expect(b.oldestSeq).toBe(9);
  });

  it('keeps an event as its JSON text and its filter fields only (no parsed event)', () => {
    const b = bus();
    const id = idOf(b.publish({ tag: 'a' }))!;
    const [entry] = b.recent(1);
    const json = `{"id":"${id}","tag":"a"}`;
    expect(entry).toEqual({ kind: 'event', id, key: { tag: 'a' }, json, size: json.length });
    expect(b.bufferedBytes).toBe(json.length + ENTRY_OVERHEAD_BYTES);
  });

  it('counts text that is not ASCII at two bytes a character, as V8 may hold it', () => {
    const b = bus();
    const id = idOf(b.publish({ tag: '€' }))!; // `{"id":"<id>","tag":"€"}`: 2 more bytes of UTF-8 than characters
    const characters = `{"id":"${id}","tag":"€"}`.length;
    expect(b.recent(1)[0].size).toBe(characters + 2);
    expect(b.bufferedBytes).toBe(2 * characters + ENTRY_OVERHEAD_BYTES);
  });

  it('refuses an event whose JSON (UTF-8 bytes) exceeds maxEventBytes, without using up an id', () => {
    const engine = new MemoryEngine<TestKey>({ dedupMs: 0 });
    const limit = `{"id":"${engine.epochMs}-1","tag":"aaaa"}`.length;
    const b = new EventBus<TestEvent, TestKey>({ ...bus().options, maxEventBytes: limit }, engine);
    const first = idOf(b.publish({ tag: 'aaaa' }));
    expect(first).toBeDefined();
    expect(b.publish({ tag: 'aaaaa' })).toEqual({ status: 'dropped', reason: 'tooLarge' });
    expect(b.publish({ tag: 'ééé' })).toEqual({ status: 'dropped', reason: 'tooLarge' }); // 4 characters, 7 bytes
    const second = idOf(b.publish({ tag: 'bbbb' }));
    expect(entryIds(b.recent(10))).toEqual([first, second]);
    expect(b.size).toBe(2);
  });

  it('read() stops at maxBytes of JSON but always returns one entry', () => {
    const b = bus(10);
    const all = publish(b, 5, 'x'.repeat(100)); // ~140 bytes of JSON each
    expect(entryIds(b.read(0, undefined, 100, 300).entries)).toEqual(all.slice(0, 2));
    expect(b.read(0, undefined, 100, 300).position).toBe(2);
    expect(entryIds(b.read(0, undefined, 100, 1).entries)).toEqual(all.slice(0, 1));
  });
});

describe('subscriptions', () => {
  it('receive events published after subscribing, filtered', () => {
    const b = bus(10, 10);
    publish(b, 2);
    const sub = b.subscribe({ filter: filterTag('keep') });
    const kept = idOf(b.publish({ tag: 'keep' }));
    b.publish({ tag: 'drop' });
    const keptToo = idOf(b.publish({ tag: 'keep' }));
    expect(ids(drain(sub))).toEqual([kept, keptToo]);
  });

  it('a subscriber whose queue overflows catches up from the ring: all events, in order, once', () => {
    const b = bus(100, 3);
    const slow = b.subscribe();
    const fast = b.subscribe();
    const fastSeen: BusItem<TestKey>[] = [];
    const all: string[] = [];
    for (let i = 0; i < 20; i++) {
      all.push(idOf(b.publish({ tag: 'x' }))!);
      fastSeen.push(...fast.take());
    }
    expect(slow.overflows).toBe(1);
    expect(ids(drain(slow))).toEqual(all);
    expect(ids(fastSeen)).toEqual(all);
    // back to live delivery after catching up
    const next = idOf(b.publish({ tag: 'x' }));
    expect(ids(slow.take())).toEqual([next]);
  });

  it('a subscriber whose queue exceeds subscriberQueueBytes catches up from the ring: nothing lost, queue bytes released', () => {
    const eventBytes = `{"id":"${Date.now()}-10","tag":"xxxxxxxxxx"}`.length + ENTRY_OVERHEAD_BYTES;
    const b = bus(100, 1000, 10, { subscriberQueueBytes: 3 * eventBytes });
    const slow = b.subscribe();
    const all = publish(b, 20, 'x'.repeat(10));
    expect(slow.overflows).toBe(1);
    expect(b.queuedBytes).toBeLessThanOrEqual(3 * eventBytes);
    expect(ids(drain(slow))).toEqual(all);
    expect(b.queuedBytes).toBe(0);
  });

  it('all queues together stay under queuesMaxBytes: the subscriber that would exceed it catches up instead', () => {
    const eventBytes = `{"id":"${Date.now()}-10","tag":"x"}`.length + ENTRY_OVERHEAD_BYTES;
    const b = bus(100, 1000, 10, { queuesMaxBytes: 5 * eventBytes });
    const subscribers = [b.subscribe(), b.subscribe(), b.subscribe()];
    let peak = 0;
    const all: string[] = [];
    for (let i = 0; i < 12; i++) {
      all.push(idOf(b.publish({ tag: 'x' }))!);
      peak = Math.max(peak, b.queuedBytes);
    }
    expect(peak).toBeLessThanOrEqual(5 * eventBytes);
    expect(b.overflows).toBeGreaterThanOrEqual(2);
    for (const sub of subscribers) expect(ids(drain(sub))).toEqual(all);
    expect(b.queuedBytes).toBe(0);
  });

  it('closing a subscription releases its queued bytes', () => {
    const b = bus(100, 1000);
    const sub = b.subscribe();
    publish(b, 5);
    expect(b.queuedBytes).toBeGreaterThan(0);
    sub.close();
    expect(b.queuedBytes).toBe(0);
  });

  it('take(maxBytes) hands out about maxBytes of JSON at a time, from the queue and from the ring alike, one event at least', () => {
    const b = bus(100, 4);
    const sub = b.subscribe();
    publish(b, 10, 'x'.repeat(100)); // 4 queued, then catching up from the ring; ~140 bytes of JSON each
    const batches: number[] = [];
    for (let items = sub.take(300); items.length > 0; items = sub.take(300)) batches.push(items.length);
    expect(batches).toEqual([2, 2, 2, 2, 2]);
    const next = publish(b, 2, 'x'.repeat(100));
    expect(ids(sub.take(1))).toEqual([next[0]]);
    expect(ids(sub.take(1))).toEqual([next[1]]);
  });

  it('a subscriber more than bufferSize behind gets a gap with the count lost, then the buffered events', () => {
    const b = bus(5, 2);
    const slow = b.subscribe();
    const all = publish(b, 12);
    // queued 1..2; overflowed at 3; position 2; the ring holds 8..12
    expect(ids(drain(slow))).toEqual([...all.slice(0, 2), 'gap:5', ...all.slice(7)]);
  });

  it('resume with after: replays the buffered events after it, then live ones, without gap or duplicate', () => {
    const b = bus(10, 3);
    const all = publish(b, 6);
    const sub = b.subscribe({ after: all[1] });
    all.push(...publish(b, 2)); // published between subscribing and the first read
    expect(ids(drain(sub))).toEqual(all.slice(2));
    const next = idOf(b.publish({ tag: 'x' }));
    expect(ids(sub.take())).toEqual([next]);
  });

  it('resume applies the filter to replayed events too', () => {
    const b = bus(10, 3);
    const all = ['a', 'b', 'a', 'b'].map((tag) => idOf(b.publish({ tag }))!);
    const beforeAll = all[0].replace(/-1$/, '-0');
    const sub = b.subscribe({ after: beforeAll, filter: filterTag('b') });
    b.publish({ tag: 'a' });
    all.push('', idOf(b.publish({ tag: 'b' }))!);
    expect(ids(drain(sub))).toEqual([all[1], all[3], all[5]]);
  });

  it('resume from an expired id starts with a gap; from an id of an earlier run with an unknown gap', () => {
    const b = bus(5, 10);
    const all = publish(b, 12);
    expect(ids(drain(b.subscribe({ after: all[0] })))).toEqual(['gap:6', ...all.slice(7)]);
    const earlierRun = `${Number(all[0].split('-')[0]) - 60_000}-9999`;
    expect(ids(drain(b.subscribe({ after: earlierRun })))).toEqual(['gap:null', ...all.slice(7)]);
  });

  it('limits the number of subscribers, and frees the slot on close', () => {
    const b = bus(5, 3, 2);
    const first = b.subscribe();
    b.subscribe();
    expect(() => b.subscribe()).toThrow(SubscriptionRefused);
    try {
      b.subscribe();
    } catch (err) {
      expect((err as SubscriptionRefused).reason).toBe('full');
    }
    first.close();
    expect(b.subscriberCount).toBe(1);
    expect(() => b.subscribe()).not.toThrow();
  });

  it('wait() resolves on publish, on timeout and on close', async () => {
    const b = bus();
    const sub = b.subscribe();
    const ready = sub.wait(10_000);
    b.publish({ tag: 'x' });
    await expect(ready).resolves.toBe('ready');
    sub.take();
    await expect(sub.wait(5)).resolves.toBe('timeout');
    const closed = sub.wait(10_000);
    b.close();
    await expect(closed).resolves.toBe('closed');
    expect(() => b.subscribe()).toThrow(expect.objectContaining({ reason: 'closed' }));
  });
});
