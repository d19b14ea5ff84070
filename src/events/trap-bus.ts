/**
 * The trap bus: a bounded window of the newest events (a ring buffer), and a fan-out to subscribers.
 * Who gives events their ids, and where events live beyond the window, is its engine's business
 * (src/events/bus-engine.ts): in-process (memory) or a Redis stream shared by replicas. What follows
 * holds for both.
 *
 * Delivery design (documented in the GET /snmp/traps description too):
 * - Every subscriber has a position: the newest event it has queued or passed over (filtered out).
 * - Each event entering the window is offered to each subscriber. A subscriber queues it when it
 *   matches its filter and its queue has room: fewer than subscriberQueue events and
 *   subscriberQueueBytes bytes, and all queues together under queuesMaxBytes. Offering never waits
 *   for a consumer, so a slow client cannot slow the receiver or other clients.
 * - When the queue is full the subscriber becomes *lagged*: it stops queueing and, once its
 *   consumer has drained the queue, catches up by reading the window from its position, in batches,
 *   until it reaches the newest event; then it queues live events again. Nothing is lost while its
 *   position is still in the window.
 * - If the window has dropped events after its position: with an engine that keeps history (Redis),
 *   it reads them from the shared stream, page by page, then returns to the window; otherwise, or when
 *   the stream has trimmed them too, it first gets a gap item with the number of events lost (all
 *   events, matching its filter or not: non-matching ones are no longer there to be tested; null when
 *   the count is unknown), then continues from the oldest event still held.
 * - Resuming (Last-Event-ID / ?since=) is the same mechanism: a subscription created with `after`
 *   starts lagged at that position, so held events are replayed, then live ones follow, with no gap
 *   and no duplicate. An id that is not one of this stream's (from an earlier run of the service in
 *   memory mode, or newer than anything the stream gave) gives a gap with `missed: null` (unknown) and
 *   a replay of everything held.
 *
 * Memory: the bus keeps of an event only its JSON text and the few fields filters test (`keyOf`),
 * so that the byte bounds bound what is really held: a parsed event with thousands of varbinds costs
 * several times its JSON. Events whose JSON exceeds maxEventBytes (UTF-8) are refused.
 */
import {
  ENTRY_OVERHEAD_BYTES,
  type AppendOutcome,
  type BusEngine,
  type BusEntry,
  type BusWindow,
  type HistoryPage,
} from './bus-engine.ts';
import { compareStreamIds, formatStreamId, parseStreamId, ZERO_ID, type StreamId } from './stream-id.ts';

export { ENTRY_OVERHEAD_BYTES, type BusEntry } from './bus-engine.ts';

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
  /** Opaque: `<ms>-<seq>`, compared by order and equality only. */
  id: string;
}

/** A filter sees the fields the bus keeps for filtering (K), not the whole event. */
export type EventFilter<K> = (key: K) => boolean;

export type BusItem<K> = BusEntry<K> | { kind: 'gap'; missed: number | null };

export interface BusOptions<E, K> {
  /** Events kept in the window, for resume and catch-up. */
  bufferSize: number;
  /** The oldest events are also dropped while the window's entries exceed this many bytes. */
  bufferBytes: number;
  /** Events whose JSON is larger than this (UTF-8 bytes) are refused. */
  maxEventBytes: number;
  /** Events queued per subscriber before it is switched to catching up from the window. */
  subscriberQueue: number;
  /** Bytes queued per subscriber before it is switched to catching up from the window. */
  subscriberQueueBytes: number;
  /** Bytes queued by all subscribers together before any of them is switched to catching up. */
  queuesMaxBytes: number;
  maxSubscribers: number;
  /** The fields filters test, kept beside the JSON. */
  keyOf: (event: Omit<E, 'id'>) => K;
}

export interface ReadResult<K> {
  /** Events after `after` that the window no longer holds. */
  missed: number;
  /** Matching entries, oldest first. */
  entries: BusEntry<K>[];
  /** Newest seq examined: the `after` to pass to the next read. */
  position: number;
  /** Id of the entry at `position`, when the read examined one. */
  positionId?: string;
}

export type WaitResult = 'ready' | 'timeout' | 'closed';

/** How long a subscriber waits before reading the shared stream again after a failed read, or while the queues' budget is spent. */
const HISTORY_RETRY_MS = 1_000;
const BUDGET_RETRY_MS = 50;

export class EventBus<E extends Sequenced, K> implements BusWindow<K> {
  private readonly ring: (BusEntry<K> | undefined)[];
  private newestSeq = 0;
  private oldest = 1;
  private bytes = 0;
  private queued = 0;
  private readonly subscribers = new Set<Subscription<E, K>>();
  /** Listeners given every entry as it enters the window (memory-mode forwarder queues). */
  private readonly taps = new Set<(entry: BusEntry<K>) => void>();
  private closed = false;
  /** How many times a subscriber's queue overflowed and it switched to catching up. */
  overflows = 0;

  readonly options: BusOptions<E, K>;
  readonly engine: BusEngine<K>;
  constructor(options: BusOptions<E, K>, engine: BusEngine<K>) {
    this.options = options;
    this.engine = engine;
    this.ring = new Array<BusEntry<K> | undefined>(options.bufferSize);
    engine.attach(this);
  }

  get maxEventBytes(): number {
    return this.options.maxEventBytes;
  }

  /**
   * Hands an event to the engine. Memory: it gets its id and reaches subscribers before this returns.
   * Redis: it is queued for the shared stream and reaches subscribers of every replica from there.
   * Never blocks.
   */
  publish(fields: Omit<E, 'id'>, options: { fingerprint?: string } = {}): AppendOutcome {
    const body = JSON.stringify(fields);
    return this.engine.append({ key: this.options.keyOf(fields), body, bodyBytes: Buffer.byteLength(body), fingerprint: options.fingerprint });
  }

  /** For the engine: adds an entry after the newest and offers it to every subscriber. */
  ingest(entry: BusEntry<K>): void {
    if (this.size >= this.ring.length) this.evictOldest();
    const seq = this.newestSeq + 1;
    this.ring[seq % this.ring.length] = entry;
    this.newestSeq = seq;
    this.bytes += entryBytes(entry);
    while (this.bytes > this.options.bufferBytes && this.oldest < this.newestSeq) this.evictOldest();
    for (const subscriber of this.subscribers) subscriber.offer(entry, seq);
    for (const tap of this.taps) tap(entry);
  }

  /**
   * Calls `listener` with every entry entering this process's window, at once and in order; returns how
   * to stop. The listener must not block (it bounds what it keeps). With TRAP_BUS=redis every replica's
   * window receives every event: a tap sees each event on every replica.
   */
  tap(listener: (entry: BusEntry<K>) => void): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  /** For the engine: events were lost before the next entry; every subscriber is told so (a gap of unknown size). */
  hole(): void {
    for (const subscriber of this.subscribers) subscriber.hole();
  }

  get lastSeq(): number {
    return this.newestSeq;
  }

  /** Seq of the oldest event still in the window (lastSeq + 1 when it is empty). */
  get oldestSeq(): number {
    return this.oldest;
  }

  /** Id of the newest event in the window, if any. */
  get lastId(): string | undefined {
    return this.size > 0 ? this.entry(this.newestSeq).id : undefined;
  }

  get size(): number {
    return this.newestSeq - this.oldest + 1;
  }

  /** Bytes held by the window (the JSON text plus ENTRY_OVERHEAD_BYTES per event). */
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

  /** The seq of the newest entry whose id is ≤ id, when the window holds ids on both sides of it (or id itself). */
  seqOf(id: StreamId): number | undefined {
    if (this.size === 0) return undefined;
    if (compareStreamIds(id, this.idAt(this.oldest)) < 0 || compareStreamIds(id, this.idAt(this.newestSeq)) > 0) return undefined;
    let low = this.oldest; // idAt(low) <= id
    let high = this.newestSeq + 1; // idAt(high) > id, or past the end
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (compareStreamIds(this.idAt(middle), id) <= 0) low = middle;
      else high = middle;
    }
    return low;
  }

  /**
   * Entries with seq > after that pass the filter (and, with `floor`, whose id is above it), oldest
   * first: at most `limit` of them and `maxBytes` of JSON (but always one, however large).
   */
  read(after: number, filter: EventFilter<K> | undefined, limit: number, maxBytes = Infinity, floor?: StreamId): ReadResult<K> {
    let from = Math.min(after, this.newestSeq) + 1;
    let missed = 0;
    if (from < this.oldest) {
      missed = this.oldest - from;
      from = this.oldest;
    }
    const entries: BusEntry<K>[] = [];
    let bytes = 0;
    let position = from - 1;
    let positionId: string | undefined;
    for (let seq = from; seq <= this.newestSeq && entries.length < limit; seq++) {
      const entry = this.entry(seq);
      const above = floor === undefined || compareStreamIds(this.idAt(seq), floor) > 0;
      if (above && (!filter || filter(entry.key))) {
        if (entries.length > 0 && bytes + entry.size > maxBytes) break;
        entries.push(entry);
        bytes += entry.size;
      }
      position = seq;
      positionId = entry.id;
    }
    return positionId === undefined ? { missed, entries, position } : { missed, entries, position, positionId };
  }

  /** The newest `limit` entries of the window that pass the filter, newest last. */
  recent(limit: number, filter?: EventFilter<K>): BusEntry<K>[] {
    const entries: BusEntry<K>[] = [];
    for (let seq = this.newestSeq; seq >= this.oldest && entries.length < limit; seq--) {
      const entry = this.entry(seq);
      if (!filter || filter(entry.key)) entries.push(entry);
    }
    return entries.reverse();
  }

  /**
   * Starts a subscription. Without `after` it receives events from now on; with `after` (an event id)
   * it first replays the events newer than that id. Throws SubscriptionRefused past maxSubscribers or
   * after close().
   */
  subscribe(options: { filter?: EventFilter<K>; after?: string } = {}): Subscription<E, K> {
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

  /** The parsed id of the entry at seq (ids the window holds always parse: engines check them). */
  idAt(seq: number): StreamId {
    return parseStreamId(this.entry(seq).id) ?? ZERO_ID;
  }

  private entry(seq: number): BusEntry<K> {
    return this.ring[seq % this.ring.length] as BusEntry<K>;
  }

  private evictOldest(): void {
    this.bytes -= entryBytes(this.entry(this.oldest));
    this.ring[this.oldest % this.ring.length] = undefined;
    this.oldest++;
  }
}

/** A subscriber reading the shared stream beyond the window: from after `after`. */
interface HistoryRead {
  after: StreamId;
  fetching: boolean;
  /** Not before this time (ms since the epoch), after a failed read. */
  retryAt: number;
}

export class Subscription<E extends Sequenced, K> {
  private queue: BusEntry<K>[] = [];
  private queueBytes = 0;
  /** Items read from the stream, delivered before anything else but a pending gap; their bytes count in the queues' budget. */
  private fetched: BusItem<K>[] = [];
  private fetchedBytes = 0;
  /** Window seq of the newest event queued or passed over. */
  private position: number;
  /** Id of the event at `position`, when known: where to read the shared stream from once the window has dropped it. */
  private positionId: string | undefined;
  /** Events with an id up to this one are passed over (resuming from an id the window has not received yet). */
  private floor: StreamId | undefined;
  private lagged: boolean;
  private history: HistoryRead | undefined;
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
    after: string | undefined,
  ) {
    this.bus = bus;
    this.filter = filter;
    this.position = bus.lastSeq;
    this.positionId = bus.lastId;
    this.lagged = false;
    if (after === undefined) return;
    const id = parseStreamId(after);
    const location = id === undefined ? ({ kind: 'unknown' } as const) : bus.engine.locate(id);
    this.lagged = true;
    if (location.kind === 'seq') {
      this.position = location.seq;
      this.positionId = after;
    } else if (location.kind === 'ahead') {
      this.floor = id;
    } else if (location.kind === 'unknown') {
      this.pendingGap = null;
      this.position = bus.oldestSeq - 1;
      this.positionId = undefined;
    } else {
      this.history = { after: id!, fetching: false, retryAt: 0 };
    }
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Called by the bus for every event entering the window. */
  offer(entry: BusEntry<K>, seq: number): void {
    if (this.ended || this.lagged || this.history) return;
    if (this.passesOver(entry, seq)) return;
    const bytes = entryBytes(entry);
    if (this.queue.length >= this.bus.options.subscriberQueue || !this.bus.canQueue(this.queueBytes, bytes)) {
      this.lagged = true;
      this.overflows++;
      this.bus.overflows++;
    } else {
      this.queue.push(entry);
      this.queueBytes += bytes;
      this.bus.accountQueued(bytes);
      this.position = seq;
      this.positionId = entry.id;
    }
    this.notify();
  }

  /** Called by the bus when events were lost upstream of the window. */
  hole(): void {
    if (this.ended || this.history) return;
    this.pendingGap = null;
    this.notify();
  }

  /**
   * What is deliverable now, in order, up to `maxBytes` of JSON (but always one event when there is
   * one): queued events, events read from the shared stream, or the next catch-up batch from the window.
   */
  take(maxBytes = Infinity): BusItem<K>[] {
    const items: BusItem<K>[] = [];
    if (this.pendingGap !== undefined) {
      items.push({ kind: 'gap', missed: this.pendingGap });
      this.pendingGap = undefined;
    }
    if (this.queue.length > 0) {
      for (const entry of this.dequeue(maxBytes)) items.push(entry);
      return items;
    }
    if (this.fetched.length > 0) {
      items.push(...this.takeFetched(maxBytes));
      return items;
    }
    if (this.ended) return items;
    if (this.history) {
      if (!this.history.fetching && this.history.retryAt <= Date.now()) {
        // A page counts in the queues' budget (TRAP_QUEUES_MAX_BYTES): while it is spent, wait.
        if (this.bus.queuedBytes < this.bus.options.queuesMaxBytes) this.readHistory(this.history);
        else this.retryLater(this.history, BUDGET_RETRY_MS);
      }
      return items;
    }
    if (this.lagged) {
      const positionId = this.positionId === undefined ? undefined : parseStreamId(this.positionId);
      if (this.position < this.bus.oldestSeq - 1 && this.bus.engine.history && positionId) {
        // The window has dropped events this subscriber has not seen: the shared stream still has them.
        this.history = { after: positionId, fetching: false, retryAt: 0 };
        this.readHistory(this.history);
        return items;
      }
      const batch = this.bus.read(this.position, this.filter, this.bus.options.subscriberQueue, maxBytes, this.floor);
      if (batch.missed !== 0) items.push({ kind: 'gap', missed: batch.missed });
      for (const entry of batch.entries) items.push(entry);
      this.position = batch.position;
      if (batch.positionId !== undefined) this.positionId = batch.positionId;
      if (this.floor && batch.entries.length > 0) this.floor = undefined;
      if (this.position >= this.bus.lastSeq) this.lagged = false;
    }
    return items;
  }

  /** Resolves when take() has something, the subscription ends, or timeoutMs passes. */
  wait(timeoutMs: number): Promise<WaitResult> {
    if (this.ended) return Promise.resolve('closed');
    if (this.ready()) return Promise.resolve('ready');
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
    this.bus.accountQueued(-this.queueBytes - this.fetchedBytes);
    this.queue = [];
    this.queueBytes = 0;
    this.fetched = [];
    this.fetchedBytes = 0;
    this.bus.remove(this);
    this.notify();
  }

  private ready(): boolean {
    if (this.queue.length > 0 || this.fetched.length > 0 || this.pendingGap !== undefined) return true;
    if (this.history) return !this.history.fetching && this.history.retryAt <= Date.now();
    return this.lagged;
  }

  /** True (and the position moves on) when the entry is not for this subscriber: filtered out, or not above the floor. */
  private passesOver(entry: BusEntry<K>, seq: number): boolean {
    if (this.floor) {
      const id = parseStreamId(entry.id);
      if (id && compareStreamIds(id, this.floor) <= 0) {
        this.position = seq;
        this.positionId = entry.id;
        return true;
      }
      this.floor = undefined;
    }
    if (this.filter && !this.filter(entry.key)) {
      this.position = seq;
      this.positionId = entry.id;
      return true;
    }
    return false;
  }

  /** Reads the next page of the shared stream after `read.after`, then delivers it (see take). */
  private readHistory(read: HistoryRead): void {
    const history = this.bus.engine.history!;
    read.fetching = true;
    // As many as fit, at the largest event, in a page's bytes: a page is held whole until it is taken.
    const pageSize = Math.max(1, Math.min(this.bus.options.subscriberQueue, HISTORY_PAGE, Math.floor(HISTORY_PAGE_BYTES / this.bus.options.maxEventBytes)));
    history(read.after, pageSize).then(
      (page) => {
        read.fetching = false;
        if (this.ended || this.history !== read) return;
        this.historyPage(read, page);
        this.notify();
      },
      () => {
        // The stream cannot be read now (Redis down): try again later; heartbeats go on meanwhile.
        read.fetching = false;
        this.retryLater(read, HISTORY_RETRY_MS);
      },
    );
  }

  private retryLater(read: HistoryRead, ms: number): void {
    read.retryAt = Date.now() + ms;
    setTimeout(() => this.notify(), ms).unref();
  }

  private historyPage(read: HistoryRead, page: HistoryPage<K>): void {
    if (page.unknown) {
      // Not an id of this stream: a gap of unknown size, then everything the stream holds.
      if (this.pendingGap === undefined) this.pendingGap = null;
      read.after = ZERO_ID;
      return;
    }
    if (page.trimmed) this.fetched.push({ kind: 'gap', missed: null });
    for (const entry of page.entries) {
      if (this.filter && !this.filter(entry.key)) continue;
      this.fetched.push(entry);
      this.fetchedBytes += entryBytes(entry);
      this.bus.accountQueued(entryBytes(entry));
    }
    read.after = page.next;
    // Back to the window once it holds what comes next: when the stream has nothing more, or the page
    // reached the window.
    const seq = this.bus.seqOf(read.after);
    if (page.entries.length > 0 && seq === undefined) return;
    this.history = undefined;
    this.lagged = true;
    if (seq !== undefined) {
      this.position = seq;
      this.positionId = formatStreamId(read.after);
      this.floor = undefined;
    } else if (this.bus.size === 0 || compareStreamIds(read.after, this.bus.idAt(this.bus.lastSeq)) > 0) {
      // The window has not received these events yet (this replica's reader is behind the stream).
      this.position = this.bus.lastSeq;
      this.positionId = undefined;
      this.floor = read.after;
    } else {
      this.position = this.bus.oldestSeq - 1;
      this.positionId = undefined;
      this.floor = read.after;
    }
  }

  /** Items read from the stream, up to maxBytes of JSON (at least one). */
  private takeFetched(maxBytes: number): BusItem<K>[] {
    let count = 0;
    let bytes = 0;
    let held = 0;
    while (count < this.fetched.length) {
      const item = this.fetched[count];
      const size = item.kind === 'event' ? item.size : 0;
      if (count > 0 && bytes + size > maxBytes) break;
      bytes += size;
      if (item.kind === 'event') held += entryBytes(item);
      count++;
    }
    this.fetchedBytes -= held;
    this.bus.accountQueued(-held);
    return this.fetched.splice(0, count);
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

/** Entries one read of the shared stream returns for a subscriber catching up, at most, and their bytes at the largest event. */
const HISTORY_PAGE = 100;
const HISTORY_PAGE_BYTES = 8 * 1024 * 1024;

/**
 * What an entry holds in memory. V8 keeps a string of Latin-1 characters at one byte each, and any
 * other at two; pure ASCII text (UTF-8 size equal to its length) is surely the former.
 */
function entryBytes(entry: BusEntry<unknown>): number {
  const text = entry.size === entry.json.length ? entry.size : 2 * entry.json.length;
  return text + ENTRY_OVERHEAD_BYTES;
}
