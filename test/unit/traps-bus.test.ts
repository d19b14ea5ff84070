import { describe, expect, it } from 'vitest';
import { ENTRY_OVERHEAD_BYTES, EventBus, SubscriptionRefused, type BusEntry, type BusItem, type BusOptions, type Subscription } from '../../src/events/trap-bus.ts';

interface TestEvent {
  id: number;
  tag: string;
}

type TestKey = { tag: string };
type TestBus = EventBus<TestEvent, TestKey>;

const UNBOUNDED = 1024 * 1024 * 1024;

function bus(bufferSize = 5, subscriberQueue = 3, maxSubscribers = 10, bytes: Partial<BusOptions<TestEvent, TestKey>> = {}): TestBus {
  return new EventBus<TestEvent, TestKey>({
    bufferSize,
    subscriberQueue,
    maxSubscribers,
    bufferBytes: UNBOUNDED,
    maxEventBytes: UNBOUNDED,
    subscriberQueueBytes: UNBOUNDED,
    queuesMaxBytes: UNBOUNDED,
    keyOf: (event) => ({ tag: event.tag }),
    ...bytes,
  });
}

function publish(b: TestBus, count: number, tag = 'x'): void {
  for (let i = 0; i < count; i++) b.publish({ tag });
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
  it('assigns increasing ids from 1 and serializes each event once', () => {
    const b = bus();
    const first = b.publish({ tag: 'a' });
    const second = b.publish({ tag: 'b' });
    expect([first?.id, second?.id]).toEqual([1, 2]);
    expect(b.read(0, undefined, 10).entries.map((e) => e.json)).toEqual(['{"id":1,"tag":"a"}', '{"id":2,"tag":"b"}']);
  });

  it('wraps around, keeping the newest bufferSize events', () => {
    const b = bus(5);
    publish(b, 12);
    expect(b.lastId).toBe(12);
    expect(b.oldestId).toBe(8);
    expect(b.size).toBe(5);
    expect(entryIds(b.recent(100))).toEqual([8, 9, 10, 11, 12]);
    expect(entryIds(b.recent(2))).toEqual([11, 12]);
  });

  it('since(): events after an id, a gap count when the id is older than the buffer, nothing after the newest', () => {
    const b = bus(5);
    publish(b, 12);
    expect(b.read(9, undefined, 100)).toMatchObject({ missed: 0, position: 12 });
    expect(entryIds(b.read(9, undefined, 100).entries)).toEqual([10, 11, 12]);
    const old = b.read(2, undefined, 100);
    expect(old.missed).toBe(5); // 3..7 are gone
    expect(entryIds(old.entries)).toEqual([8, 9, 10, 11, 12]);
    expect(b.read(7, undefined, 100).missed).toBe(0);
    expect(b.read(12, undefined, 100)).toEqual({ missed: 0, entries: [], position: 12 });
  });

  it('since() with an id this run never issued: unknown gap (null) and the whole buffer', () => {
    const b = bus(5);
    publish(b, 3);
    const result = b.read(500, undefined, 100);
    expect(result.missed).toBeNull();
    expect(entryIds(result.entries)).toEqual([1, 2, 3]);
  });

  it('read() honours the filter and the limit, and reports how far it scanned', () => {
    const b = bus(10);
    for (const tag of ['a', 'b', 'a', 'b', 'a']) b.publish({ tag });
    const result = b.read(0, filterTag('a'), 2);
    expect(entryIds(result.entries)).toEqual([1, 3]);
    expect(result.position).toBe(3);
    expect(entryIds(b.recent(10, filterTag('b')))).toEqual([2, 4]);
  });

  it('also evicts the oldest events when the buffered bytes (JSON plus overhead) exceed bufferBytes', () => {
    const eventBytes = (id: number) => `{"id":${id},"tag":"xxxxxxxxxxxxxxxxxxxx"}`.length + ENTRY_OVERHEAD_BYTES;
    const b = bus(100, 3, 10, { bufferBytes: eventBytes(9) + eventBytes(10) });
    publish(b, 10, 'x'.repeat(20));
    expect(b.bufferedBytes).toBe(eventBytes(9) + eventBytes(10));
    expect(b.size).toBe(2);
    expect(b.oldestId).toBe(9);
  });

  it('keeps an event as its JSON text and its filter fields only (no parsed event)', () => {
    const b = bus();
    b.publish({ tag: 'a' });
    const [entry] = b.recent(1);
    expect(entry).toEqual({ id: 1, key: { tag: 'a' }, json: '{"id":1,"tag":"a"}', size: 18 });
    expect(b.bufferedBytes).toBe(18 + ENTRY_OVERHEAD_BYTES);
  });

  it('counts text that is not ASCII at two bytes a character, as V8 may hold it', () => {
    const b = bus();
    b.publish({ tag: '€' }); // 18 characters, 20 bytes of UTF-8
    expect(b.recent(1)[0].size).toBe(20);
    expect(b.bufferedBytes).toBe(2 * 18 + ENTRY_OVERHEAD_BYTES);
  });

  it('refuses an event whose JSON (UTF-8 bytes) exceeds maxEventBytes, without using up an id', () => {
    const limit = '{"id":1,"tag":"aaaa"}'.length;
    const b = bus(10, 3, 10, { maxEventBytes: limit });
    expect(b.publish({ tag: 'aaaa' })?.id).toBe(1);
    expect(b.publish({ tag: 'aaaaa' })).toBeUndefined();
    expect(b.publish({ tag: 'ééé' })).toBeUndefined(); // 18 characters, 21 bytes
    expect(b.publish({ tag: 'bbbb' })?.id).toBe(2);
    expect(b.size).toBe(2);
  });

  it('read() stops at maxBytes of JSON but always returns one entry', () => {
    const b = bus(10);
    publish(b, 5, 'x'.repeat(100)); // ~120 bytes of JSON each
    expect(entryIds(b.read(0, undefined, 100, 250).entries)).toEqual([1, 2]);
    expect(b.read(0, undefined, 100, 250).position).toBe(2);
    expect(entryIds(b.read(0, undefined, 100, 1).entries)).toEqual([1]);
  });
});

describe('subscriptions', () => {
  it('receive events published after subscribing, filtered', () => {
    const b = bus(10, 10);
    publish(b, 2);
    const sub = b.subscribe({ filter: filterTag('keep') });
    b.publish({ tag: 'keep' });
    b.publish({ tag: 'drop' });
    b.publish({ tag: 'keep' });
    expect(ids(drain(sub))).toEqual([3, 5]);
  });

  it('a subscriber whose queue overflows catches up from the ring: all events, in order, once', () => {
    const b = bus(100, 3);
    const slow = b.subscribe();
    const fast = b.subscribe();
    const fastSeen: BusItem<TestKey>[] = [];
    for (let i = 0; i < 20; i++) {
      b.publish({ tag: 'x' });
      fastSeen.push(...fast.take());
    }
    expect(slow.overflows).toBe(1);
    expect(ids(drain(slow))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(ids(fastSeen)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // back to live delivery after catching up
    b.publish({ tag: 'x' });
    expect(ids(slow.take())).toEqual([21]);
  });

  it('a subscriber whose queue exceeds subscriberQueueBytes catches up from the ring: nothing lost, queue bytes released', () => {
    const eventBytes = '{"id":10,"tag":"xxxxxxxxxx"}'.length + ENTRY_OVERHEAD_BYTES;
    const b = bus(100, 1000, 10, { subscriberQueueBytes: 3 * eventBytes });
    const slow = b.subscribe();
    publish(b, 20, 'x'.repeat(10));
    expect(slow.overflows).toBe(1);
    expect(b.queuedBytes).toBeLessThanOrEqual(3 * eventBytes);
    expect(ids(drain(slow))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(b.queuedBytes).toBe(0);
  });

  it('all queues together stay under queuesMaxBytes: the subscriber that would exceed it catches up instead', () => {
    const eventBytes = '{"id":10,"tag":"x"}'.length + ENTRY_OVERHEAD_BYTES;
    const b = bus(100, 1000, 10, { queuesMaxBytes: 5 * eventBytes });
    const subscribers = [b.subscribe(), b.subscribe(), b.subscribe()];
    let peak = 0;
    for (let i = 0; i < 12; i++) {
      b.publish({ tag: 'x' });
      peak = Math.max(peak, b.queuedBytes);
    }
    expect(peak).toBeLessThanOrEqual(5 * eventBytes);
    expect(b.overflows).toBeGreaterThanOrEqual(2);
    for (const sub of subscribers) expect(ids(drain(sub))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
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
    publish(b, 10, 'x'.repeat(100)); // 4 queued, then catching up from the ring
    const batches: number[] = [];
    for (let items = sub.take(250); items.length > 0; items = sub.take(250)) batches.push(items.length);
    expect(batches).toEqual([2, 2, 2, 2, 2]);
    publish(b, 2, 'x'.repeat(100));
    expect(ids(sub.take(1))).toEqual([11]);
    expect(ids(sub.take(1))).toEqual([12]);
  });

  it('a subscriber more than bufferSize behind gets a gap with the count lost, then the buffered events', () => {
    const b = bus(5, 2);
    const slow = b.subscribe();
    publish(b, 12);
    // queued 1..2; overflowed at 3; position 2; the ring holds 8..12
    expect(ids(drain(slow))).toEqual([1, 2, 'gap:5', 8, 9, 10, 11, 12]);
  });

  it('resume with after: replays the buffered events after it, then live ones, without gap or duplicate', () => {
    const b = bus(10, 3);
    publish(b, 6);
    const sub = b.subscribe({ after: 2 });
    publish(b, 2); // published between subscribing and the first read
    expect(ids(drain(sub))).toEqual([3, 4, 5, 6, 7, 8]);
    b.publish({ tag: 'x' });
    expect(ids(sub.take())).toEqual([9]);
  });

  it('resume applies the filter to replayed events too', () => {
    const b = bus(10, 3);
    for (const tag of ['a', 'b', 'a', 'b']) b.publish({ tag });
    const sub = b.subscribe({ after: 0, filter: filterTag('b') });
    b.publish({ tag: 'a' });
    b.publish({ tag: 'b' });
    expect(ids(drain(sub))).toEqual([2, 4, 6]);
  });

  it('resume from an expired id starts with a gap; from an id of an earlier run with an unknown gap', () => {
    const b = bus(5, 10);
    publish(b, 12);
    expect(ids(drain(b.subscribe({ after: 1 })))).toEqual(['gap:6', 8, 9, 10, 11, 12]);
    expect(ids(drain(b.subscribe({ after: 9999 })))).toEqual(['gap:null', 8, 9, 10, 11, 12]);
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
