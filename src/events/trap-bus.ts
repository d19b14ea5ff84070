/**
 * The trap bus: a bounded ring buffer of events with monotonically increasing sequence ids, and a
 * fan-out to subscribers.
 *
 * Delivery design (documented in the GET /snmp/traps description too):
 * - Every subscriber has a position: the newest id it has queued or passed over (filtered out).
 * - publish() appends to the ring and offers the event to each subscriber. A subscriber queues it
 *   when it matches its filter and its queue has room: fewer than subscriberQueue events and
 *   subscriberQueueBytes bytes, and all queues together under queuesMaxBytes. publish() never waits
 *   for a consumer, so a slow client cannot slow the receiver or other clients.
 * - When the queue is full the subscriber becomes *lagged*: it stops queueing and, once its
 *   consumer has drained the queue, catches up by reading the ring buffer from its position, in
 *   batches, until it reaches the newest event; then it queues live events again. Nothing is lost
 *   while its position is still in the ring.
 * - If the ring has overwritten events after its position (the consumer is more than the ring's
 *   bounds behind), it first gets a gap item with the number of events lost (all events, matching
 *   its filter or not: non-matching ones are no longer there to be tested), then continues from the
 *   oldest buffered event.
 * - Resuming (Last-Event-ID / ?since=) is the same mechanism: a subscription created with `after`
 *   starts lagged at that position, so buffered events are replayed, then live ones follow, with
 *   no gap and no duplicate. An id newer than any event of this process (the client saw ids from a
 *   previous run of the service) gives a gap with `missed: null` (unknown) and a replay of the
 *   whole buffer.
 *
 * Memory: the bus keeps of an event only its JSON text and the few fields filters test (`keyOf`),
 * so that the byte bounds bound what is really held: a parsed event with thousands of varbinds costs
 * several times its JSON. Events whose JSON exceeds maxEventBytes (UTF-8) are refused.
 */

/** Why subscribe() refused: the bus is closed (shutting down), or it has maxSubscribers already. */
export class SubscriptionRefused extends Error {
  override readonly name = 'SubscriptionRefused';

  readonly reason: 'closed' | 'full';
  constructor(reason: 'closed' | 'full') {
    super(reason === 'closed' ? 'the bus is closed' : 'the bus has its maximum number of subscribers');
    this.reason = reason;
  }
}

export interface Sequenced {
  id: number;
}

/** A filter sees the fields the bus keeps for filtering (K), not the whole event. */
export type EventFilter<K> = (key: K) => boolean;

/** What the ring holds of one event: its JSON, serialized once at publish for every subscriber and reader. */
export interface BusEntry<K> {
  id: number;
  key: K;
  json: string;
  /** UTF-8 bytes of the JSON: what it costs on the wire. */
  size: number;
}

export type BusItem<K> = ({ kind: 'event' } & BusEntry<K>) | { kind: 'gap'; missed: number | null };

/**
 * What an entry costs besides its JSON text (the entry and key objects and their strings: about 200
 * bytes measured), counted in every byte bound so that many tiny events cannot exceed it either.
 */
export const ENTRY_OVERHEAD_BYTES = 256;

export interface BusOptions<E, K> {
  /** Events kept for resume and catch-up. */
  bufferSize: number;
  /** The oldest events are also dropped while the buffered entries exceed this many bytes. */
  bufferBytes: number;
  /** publish() refuses an event whose JSON is larger than this (UTF-8 bytes). */
  maxEventBytes: number;
  /** Events queued per subscriber before it is switched to catching up from the ring. */
  subscriberQueue: number;
  /** Bytes queued per subscriber before it is switched to catching up from the ring. */
  subscriberQueueBytes: number;
  /** Bytes queued by all subscribers together before any of them is switched to catching up. */
  queuesMaxBytes: number;
  maxSubscribers: number;
  /** The fields filters test, kept beside the JSON. */
  keyOf: (event: E) => K;
}

export interface ReadResult<K> {
  /** Events after `after` that are no longer buffered; null when `after` is unknown to this process. */
  missed: number | null;
  /** Matching entries, oldest first. */
  entries: BusEntry<K>[];
  /** Newest id examined: the `after` to pass to the next read. */
  position: number;
}

export type WaitResult = 'ready' | 'timeout' | 'closed';

export class EventBus<E extends Sequenced, K> {
  private readonly ring: (BusEntry<K> | undefined)[];
  private newestId = 0;
  private oldest = 1;
  private bytes = 0;
  private queued = 0;
  private readonly subscribers = new Set<Subscription<E, K>>();
  private closed = false;
  /** How many times a subscriber's queue overflowed and it switched to catching up. */
  overflows = 0;

  readonly options: BusOptions<E, K>;
  constructor(options: BusOptions<E, K>) {
    this.options = options;
    this.ring = new Array<BusEntry<K> | undefined>(options.bufferSize);
  }

  /**
   * Assigns the next sequence id, stores the event and offers it to every subscriber. Never blocks.
   * Returns undefined, consuming no id, when its JSON is larger than maxEventBytes.
   */
  publish(fields: Omit<E, 'id'>): E | undefined {
    const event = { id: this.newestId + 1, ...fields } as E;
    const json = JSON.stringify(event);
    const size = Buffer.byteLength(json);
    if (size > this.options.maxEventBytes) return undefined;
    const entry: BusEntry<K> = { id: event.id, key: this.options.keyOf(event), json, size };
    if (this.size >= this.ring.length) this.evictOldest();
    this.ring[entry.id % this.ring.length] = entry;
    this.newestId = entry.id;
    this.bytes += entryBytes(entry);
    while (this.bytes > this.options.bufferBytes && this.oldest < this.newestId) this.evictOldest();
    for (const subscriber of this.subscribers) subscriber.offer(entry);
    return event;
  }

  get lastId(): number {
    return this.newestId;
  }

  /** Id of the oldest event still buffered (lastId + 1 when the buffer is empty). */
  get oldestId(): number {
    return this.oldest;
  }

  get size(): number {
    return this.newestId - this.oldest + 1;
  }

  /** Bytes held by the ring (the JSON text plus ENTRY_OVERHEAD_BYTES per event). */
  get bufferedBytes(): number {
    return this.bytes;
  }

  /** Bytes held by all subscriber queues together (an entry queued by several subscribers counts for each). */
  get queuedBytes(): number {
    return this.queued;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Buffered entries with id > after that pass the filter, oldest first: at most `limit` of them and
   * `maxBytes` of JSON (but always one, however large).
   */
  read(after: number, filter: EventFilter<K> | undefined, limit: number, maxBytes = Infinity): ReadResult<K> {
    if (after > this.newestId) return { ...this.read(this.oldest - 1, filter, limit, maxBytes), missed: null };
    let from = after + 1;
    let missed = 0;
    if (from < this.oldest) {
      missed = this.oldest - from;
      from = this.oldest;
    }
    const entries: BusEntry<K>[] = [];
    let bytes = 0;
    let position = from - 1;
    for (let id = from; id <= this.newestId && entries.length < limit; id++) {
      const entry = this.entry(id);
      if (!filter || filter(entry.key)) {
        if (entries.length > 0 && bytes + entry.size > maxBytes) break;
        entries.push(entry);
        bytes += entry.size;
      }
      position = id;
    }
    return { missed, entries, position };
  }

  /** The newest `limit` buffered entries that pass the filter, newest last. */
  recent(limit: number, filter?: EventFilter<K>): BusEntry<K>[] {
    const entries: BusEntry<K>[] = [];
    for (let id = this.newestId; id >= this.oldest && entries.length < limit; id--) {
      const entry = this.entry(id);
      if (!filter || filter(entry.key)) entries.push(entry);
    }
    return entries.reverse();
  }

  /**
   * Starts a subscription. Without `after` it receives events published from now on; with `after`
   * it first replays the buffered events newer than that id. Throws SubscriptionRefused past
   * maxSubscribers or after close().
   */
  subscribe(options: { filter?: EventFilter<K>; after?: number } = {}): Subscription<E, K> {
    if (this.closed) throw new SubscriptionRefused('closed');
    if (this.subscribers.size >= this.options.maxSubscribers) throw new SubscriptionRefused('full');
    const subscription = new Subscription<E, K>(this, options.filter, options.after);
    this.subscribers.add(subscription);
    return subscription;
  }

  /** Ends every subscription (their consumers see 'closed') and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.close();
  }

  /** For subscriptions: whether one holding `held` bytes may queue `bytes` more. */
  canQueue(held: number, bytes: number): boolean {
    return held + bytes <= this.options.subscriberQueueBytes && this.queued + bytes <= this.options.queuesMaxBytes;
  }

  /** Called by subscriptions as their queues grow (positive) and shrink (negative). */
  accountQueued(bytes: number): void {
    this.queued += bytes;
  }

  /** Called by a subscription when it closes. */
  remove(subscription: Subscription<E, K>): void {
    this.subscribers.delete(subscription);
  }

  private entry(id: number): BusEntry<K> {
    return this.ring[id % this.ring.length] as BusEntry<K>;
  }

  private evictOldest(): void {
    this.bytes -= entryBytes(this.entry(this.oldest));
    this.ring[this.oldest % this.ring.length] = undefined;
    this.oldest++;
  }
}

export class Subscription<E extends Sequenced, K> {
  private queue: BusEntry<K>[] = [];
  private queueBytes = 0;
  private position: number;
  private lagged: boolean;
  private pendingGap: number | null | undefined;
  private wake: (() => void) | undefined;
  private ended = false;
  /** How many times the queue overflowed and the subscriber switched to catching up. */
  overflows = 0;

  private readonly bus: EventBus<E, K>;
  private readonly filter: EventFilter<K> | undefined;
  constructor(
    bus: EventBus<E, K>,
    filter: EventFilter<K> | undefined,
    after: number | undefined,
  ) {
    this.bus = bus;
    this.filter = filter;
    if (after === undefined) {
      this.position = bus.lastId;
      this.lagged = false;
    } else if (after > bus.lastId) {
      this.pendingGap = null;
      this.position = bus.oldestId - 1;
      this.lagged = true;
    } else {
      this.position = after;
      this.lagged = true;
    }
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Called by the bus for every published event. */
  offer(entry: BusEntry<K>): void {
    if (this.ended || this.lagged) return;
    if (this.filter && !this.filter(entry.key)) {
      this.position = entry.id;
      return;
    }
    const bytes = entryBytes(entry);
    if (this.queue.length >= this.bus.options.subscriberQueue || !this.bus.canQueue(this.queueBytes, bytes)) {
      this.lagged = true;
      this.overflows++;
      this.bus.overflows++;
    } else {
      this.queue.push(entry);
      this.queueBytes += bytes;
      this.bus.accountQueued(bytes);
      this.position = entry.id;
    }
    this.notify();
  }

  /**
   * What is deliverable now, in order, up to `maxBytes` of JSON (but always one event when there is
   * one): queued events, or the next catch-up batch from the ring.
   */
  take(maxBytes = Infinity): BusItem<K>[] {
    const items: BusItem<K>[] = [];
    if (this.pendingGap !== undefined) {
      items.push({ kind: 'gap', missed: this.pendingGap });
      this.pendingGap = undefined;
    }
    if (this.queue.length > 0) {
      for (const entry of this.dequeue(maxBytes)) items.push({ kind: 'event', ...entry });
      return items;
    }
    if (this.lagged && !this.ended) {
      const batch = this.bus.read(this.position, this.filter, this.bus.options.subscriberQueue, maxBytes);
      if (batch.missed !== 0) items.push({ kind: 'gap', missed: batch.missed });
      for (const entry of batch.entries) items.push({ kind: 'event', ...entry });
      this.position = batch.position;
      if (this.position >= this.bus.lastId) this.lagged = false;
    }
    return items;
  }

  /** Resolves when take() has something, the subscription ends, or timeoutMs passes. */
  wait(timeoutMs: number): Promise<WaitResult> {
    if (this.ended) return Promise.resolve('closed');
    if (this.queue.length > 0 || this.lagged || this.pendingGap !== undefined) return Promise.resolve('ready');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve('timeout');
      }, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(this.ended ? 'closed' : 'ready');
      };
    });
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.bus.accountQueued(-this.queueBytes);
    this.queue = [];
    this.queueBytes = 0;
    this.bus.remove(this);
    this.notify();
  }

  /** Removes queued entries from the front, up to maxBytes of JSON (at least one). */
  private dequeue(maxBytes: number): BusEntry<K>[] {
    let count = 0;
    let json = 0;
    let bytes = 0;
    while (count < this.queue.length && (count === 0 || json + this.queue[count].size <= maxBytes)) {
      json += this.queue[count].size;
      bytes += entryBytes(this.queue[count]);
      count++;
    }
    const taken = count === this.queue.length ? this.queue : this.queue.slice(0, count);
    this.queue = count === this.queue.length ? [] : this.queue.slice(count);
    this.queueBytes -= bytes;
    this.bus.accountQueued(-bytes);
    return taken;
  }

  private notify(): void {
    this.wake?.();
  }
}

/**
 * What an entry holds in memory. V8 keeps a string of Latin-1 characters at one byte each, and any
 * other at two; pure ASCII text (UTF-8 size equal to its length) is surely the former.
 */
function entryBytes(entry: BusEntry<unknown>): number {
  const text = entry.size === entry.json.length ? entry.size : 2 * entry.json.length;
  return text + ENTRY_OVERHEAD_BYTES;
}
