import { AdapterError } from '../errors.ts';

/**
 * The trap bus: a bounded ring buffer of events with monotonically increasing sequence ids, and a
 * fan-out to subscribers.
 *
 * Delivery design (documented in the GET /snmp/traps description too):
 * - Every subscriber has a position: the newest id it has queued or passed over (filtered out).
 * - publish() appends to the ring and offers the event to each subscriber. A subscriber queues it
 *   when it matches its filter and its queue (subscriberQueue events) has room. publish() never
 *   waits for a consumer, so a slow client cannot slow the receiver or other clients.
 * - When the queue is full the subscriber becomes *lagged*: it stops queueing and, once its
 *   consumer has drained the queue, catches up by reading the ring buffer from its position, in
 *   batches of subscriberQueue events, until it reaches the newest event; then it queues live
 *   events again. Nothing is lost while its position is still in the ring.
 * - If the ring has overwritten events after its position (the consumer is more than bufferSize
 *   events behind), it first gets a gap item with the number of events lost (all events, matching
 *   its filter or not: non-matching ones are no longer there to be tested), then continues from the
 *   oldest buffered event.
 * - Resuming (Last-Event-ID / ?since=) is the same mechanism: a subscription created with `after`
 *   starts lagged at that position, so buffered events are replayed, then live ones follow, with
 *   no gap and no duplicate. An id newer than any event of this process (the client saw ids from a
 *   previous run of the service) gives a gap with `missed: null` (unknown) and a replay of the
 *   whole buffer.
 */

export interface Sequenced {
  id: number;
}

export type EventFilter<E> = (event: E) => boolean;

/** An event and its JSON text, serialized once at publish for every subscriber. */
export interface BusEntry<E> {
  event: E;
  json: string;
}

export type BusItem<E> = ({ kind: 'event' } & BusEntry<E>) | { kind: 'gap'; missed: number | null };

/**
 * Default bound on the JSON size of the buffered events: the event count alone does not bound memory
 * (a sender can fill every datagram). Typical traps are well under 1 KiB of JSON, so 10 000 of them
 * stay far below it.
 */
export const DEFAULT_BUFFER_MAX_BYTES = 32 * 1024 * 1024;

export interface BusOptions {
  /** Events kept for resume and catch-up. */
  bufferSize: number;
  /** The oldest events are also dropped while the buffered JSON exceeds this many bytes (UTF-16 units). */
  maxBytes?: number;
  /** Events queued per subscriber before it is switched to catching up from the ring. */
  subscriberQueue: number;
  maxSubscribers: number;
}

export interface ReadResult<E> {
  /** Events after `after` that are no longer buffered; null when `after` is unknown to this process. */
  missed: number | null;
  /** Matching entries, oldest first. */
  entries: BusEntry<E>[];
  /** Newest id examined: the `after` to pass to the next read. */
  position: number;
}

export type WaitResult = 'ready' | 'timeout' | 'closed';

export class EventBus<E extends Sequenced> {
  private readonly ring: (BusEntry<E> | undefined)[];
  private readonly maxBytes: number;
  private newestId = 0;
  private oldest = 1;
  private bytes = 0;
  private readonly subscribers = new Set<Subscription<E>>();
  private closed = false;

  constructor(readonly options: BusOptions) {
    this.ring = new Array<BusEntry<E> | undefined>(options.bufferSize);
    this.maxBytes = options.maxBytes ?? DEFAULT_BUFFER_MAX_BYTES;
  }

  /** Assigns the next sequence id, stores the event and offers it to every subscriber. Never blocks. */
  publish(fields: Omit<E, 'id'>): E {
    const event = { id: this.newestId + 1, ...fields } as E;
    const entry: BusEntry<E> = { event, json: JSON.stringify(event) };
    if (this.size >= this.ring.length) this.evictOldest();
    this.ring[event.id % this.ring.length] = entry;
    this.newestId = event.id;
    this.bytes += entry.json.length;
    while (this.bytes > this.maxBytes && this.oldest < this.newestId) this.evictOldest();
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

  get bufferedBytes(): number {
    return this.bytes;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Buffered events with id > after that pass the filter, oldest first, at most `limit`. */
  read(after: number, filter: EventFilter<E> | undefined, limit: number): ReadResult<E> {
    if (after > this.newestId) return { ...this.read(this.oldest - 1, filter, limit), missed: null };
    let from = after + 1;
    let missed = 0;
    if (from < this.oldest) {
      missed = this.oldest - from;
      from = this.oldest;
    }
    const entries: BusEntry<E>[] = [];
    let position = from - 1;
    for (let id = from; id <= this.newestId && entries.length < limit; id++) {
      const entry = this.entry(id);
      position = id;
      if (!filter || filter(entry.event)) entries.push(entry);
    }
    return { missed, entries, position };
  }

  /** The newest `limit` buffered events that pass the filter, newest last. */
  recent(limit: number, filter?: EventFilter<E>): E[] {
    const events: E[] = [];
    for (let id = this.newestId; id >= this.oldest && events.length < limit; id--) {
      const { event } = this.entry(id);
      if (!filter || filter(event)) events.push(event);
    }
    return events.reverse();
  }

  /**
   * Starts a subscription. Without `after` it receives events published from now on; with `after`
   * it first replays the buffered events newer than that id. Throws UNAVAILABLE past maxSubscribers
   * or after close().
   */
  subscribe(options: { filter?: EventFilter<E>; after?: number } = {}): Subscription<E> {
    if (this.closed) throw new AdapterError('UNAVAILABLE', 'traps', 'The trap stream is shutting down.');
    if (this.subscribers.size >= this.options.maxSubscribers) {
      throw new AdapterError('UNAVAILABLE', 'traps', `Too many trap stream subscribers (limit ${this.options.maxSubscribers}).`, {
        maxSubscribers: this.options.maxSubscribers,
        retryAfterSeconds: 5,
      });
    }
    const subscription = new Subscription<E>(this, options.filter, this.options.subscriberQueue, options.after, () =>
      this.subscribers.delete(subscription),
    );
    this.subscribers.add(subscription);
    return subscription;
  }

  /** Ends every subscription (their consumers see 'closed') and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.close();
  }

  private entry(id: number): BusEntry<E> {
    return this.ring[id % this.ring.length] as BusEntry<E>;
  }

  private evictOldest(): void {
    this.bytes -= this.entry(this.oldest).json.length;
    this.ring[this.oldest % this.ring.length] = undefined;
    this.oldest++;
  }
}

export class Subscription<E extends Sequenced> {
  private queue: BusEntry<E>[] = [];
  private position: number;
  private lagged: boolean;
  private pendingGap: number | null | undefined;
  private wake: (() => void) | undefined;
  private ended = false;
  /** How many times the queue overflowed and the subscriber switched to catching up. */
  overflows = 0;

  constructor(
    private readonly bus: EventBus<E>,
    private readonly filter: EventFilter<E> | undefined,
    private readonly queueLimit: number,
    after: number | undefined,
    private readonly onClose: () => void,
  ) {
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
  offer(entry: BusEntry<E>): void {
    if (this.ended || this.lagged) return;
    if (this.filter && !this.filter(entry.event)) {
      this.position = entry.event.id;
      return;
    }
    if (this.queue.length >= this.queueLimit) {
      this.lagged = true;
      this.overflows++;
    } else {
      this.queue.push(entry);
      this.position = entry.event.id;
    }
    this.notify();
  }

  /** Everything deliverable now, in order: queued events, or the next catch-up batch from the ring. */
  take(): BusItem<E>[] {
    const items: BusItem<E>[] = [];
    if (this.pendingGap !== undefined) {
      items.push({ kind: 'gap', missed: this.pendingGap });
      this.pendingGap = undefined;
    }
    if (this.queue.length > 0) {
      for (const entry of this.queue) items.push({ kind: 'event', ...entry });
      this.queue = [];
      return items;
    }
    if (this.lagged && !this.ended) {
      const batch = this.bus.read(this.position, this.filter, this.queueLimit);
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
    this.queue = [];
    this.onClose();
    this.notify();
  }

  private notify(): void {
    this.wake?.();
  }
}
