import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../src/errors.ts';
import { EventBus, type BusItem, type Subscription } from '../../src/events/trap-bus.ts';

interface TestEvent {
  id: number;
  tag: string;
}

function bus(bufferSize = 5, subscriberQueue = 3, maxSubscribers = 10, maxBytes?: number) {
  return new EventBus<TestEvent>({ bufferSize, subscriberQueue, maxSubscribers, maxBytes });
}

function publish(b: EventBus<TestEvent>, count: number, tag = 'x'): void {
  for (let i = 0; i < count; i++) b.publish({ tag });
}

/** Takes until nothing is left, as the SSE writer does. */
function drain(sub: Subscription<TestEvent>): BusItem<TestEvent>[] {
  const all: BusItem<TestEvent>[] = [];
  for (let items = sub.take(); items.length > 0; items = sub.take()) all.push(...items);
  return all;
}

const ids = (items: BusItem<TestEvent>[]) => items.map((i) => (i.kind === 'event' ? i.event.id : `gap:${i.missed}`));

describe('ring buffer', () => {
  it('assigns increasing ids from 1 and serializes each event once', () => {
    const b = bus();
    const first = b.publish({ tag: 'a' });
    const second = b.publish({ tag: 'b' });
    expect([first.id, second.id]).toEqual([1, 2]);
    expect(b.read(0, undefined, 10).entries.map((e) => e.json)).toEqual(['{"id":1,"tag":"a"}', '{"id":2,"tag":"b"}']);
  });

  it('wraps around, keeping the newest bufferSize events', () => {
    const b = bus(5);
    publish(b, 12);
    expect(b.lastId).toBe(12);
    expect(b.oldestId).toBe(8);
    expect(b.size).toBe(5);
    expect(b.recent(100).map((e) => e.id)).toEqual([8, 9, 10, 11, 12]);
    expect(b.recent(2).map((e) => e.id)).toEqual([11, 12]);
  });

  it('since(): events after an id, a gap count when the id is older than the buffer, nothing after the newest', () => {
    const b = bus(5);
    publish(b, 12);
    expect(b.read(9, undefined, 100)).toMatchObject({ missed: 0, position: 12 });
    expect(b.read(9, undefined, 100).entries.map((e) => e.event.id)).toEqual([10, 11, 12]);
    const old = b.read(2, undefined, 100);
    expect(old.missed).toBe(5); // 3..7 are gone
    expect(old.entries.map((e) => e.event.id)).toEqual([8, 9, 10, 11, 12]);
    expect(b.read(7, undefined, 100).missed).toBe(0);
    expect(b.read(12, undefined, 100)).toEqual({ missed: 0, entries: [], position: 12 });
  });

  it('since() with an id this run never issued: unknown gap (null) and the whole buffer', () => {
    const b = bus(5);
    publish(b, 3);
    const result = b.read(500, undefined, 100);
    expect(result.missed).toBeNull();
    expect(result.entries.map((e) => e.event.id)).toEqual([1, 2, 3]);
  });

  it('read() honours the filter and the limit, and reports how far it scanned', () => {
    const b = bus(10);
    for (const tag of ['a', 'b', 'a', 'b', 'a']) b.publish({ tag });
    const result = b.read(0, (e) => e.tag === 'a', 2);
    expect(result.entries.map((e) => e.event.id)).toEqual([1, 3]);
    expect(result.position).toBe(3);
    expect(b.recent(10, (e) => e.tag === 'b').map((e) => e.id)).toEqual([2, 4]);
  });

  it('also evicts the oldest events when the buffered JSON exceeds maxBytes', () => {
    const b = bus(100, 3, 10, 100);
    publish(b, 10, 'x'.repeat(20)); // each event is ~37 characters of JSON
    expect(b.bufferedBytes).toBeLessThanOrEqual(100);
    expect(b.size).toBe(2);
    expect(b.oldestId).toBe(9);
  });
});

describe('subscriptions', () => {
  it('receive events published after subscribing, filtered', () => {
    const b = bus(10, 10);
    publish(b, 2);
    const sub = b.subscribe({ filter: (e) => e.tag === 'keep' });
    b.publish({ tag: 'keep' });
    b.publish({ tag: 'drop' });
    b.publish({ tag: 'keep' });
    expect(ids(drain(sub))).toEqual([3, 5]);
  });

  it('a subscriber whose queue overflows catches up from the ring: all events, in order, once', () => {
    const b = bus(100, 3);
    const slow = b.subscribe();
    const fast = b.subscribe();
    const fastSeen: BusItem<TestEvent>[] = [];
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
    const sub = b.subscribe({ after: 0, filter: (e) => e.tag === 'b' });
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
    expect(() => b.subscribe()).toThrow(AdapterError);
    try {
      b.subscribe();
    } catch (err) {
      expect((err as AdapterError).code).toBe('UNAVAILABLE');
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
    expect(() => b.subscribe()).toThrow(/shutting down/);
  });
});
