import type { BusEntry } from '../bus-engine.ts';
import type { EventFilter } from '../trap-bus.ts';

/** One event waiting for a forwarder: its id and JSON (the SSE `data:`). */
export interface QueuedEvent {
  id: string;
  json: string;
  /** UTF-8 bytes of json. */
  size: number;
}

/**
 * Where a forwarder's events wait, in stream order. Two engines behind one contract:
 * - MemoryForwarderQueue (TRAP_BUS=memory): a bounded queue in this process, fed by the bus as events
 *   are published; overflow is dropped and counted.
 * - RedisForwarderQueue (TRAP_BUS=redis): a consumer group on the shared stream; replicas share the work,
 *   each event goes to one of them, and what a dead replica held is claimed by another.
 * The forwarder takes a batch, delivers it (retrying as long as it must), then acknowledges it: an event
 * is acknowledged only once delivered or dead-lettered (at least once).
 */
export interface ForwarderQueue {
  readonly engine: 'memory' | 'redis';
  start(): void;
  /**
   * The next batch: up to maxEvents, waiting up to maxWaitMs after the first for more. Resolves
   * undefined once the queue is closed.
   */
  next(maxEvents: number, maxWaitMs: number): Promise<QueuedEvent[] | undefined>;
  /** The batch was delivered or given up. */
  ack(batch: QueuedEvent[]): Promise<void>;
  /** Called now and then while a batch is being delivered (redis: keeps the claim on it). */
  holding(batch: QueuedEvent[]): void;
  /** Events (and their bytes) waiting, besides the batch being delivered. */
  depth(): { events: number; bytes: number };
  /** Events dropped because the queue was full. */
  readonly dropped: number;
  close(): void;
}

/** Builds the queue of one forwarder: its name and the filter its events must pass. */
export type ForwarderQueueFactory<K> = (name: string, options: { filter: EventFilter<K> | undefined; claimIdleMs: number; maxEvents: number; maxBytes: number }) => ForwarderQueue;

/** Where memory queues get their events: every entry published on this process's bus, as it is. */
export interface EntrySource<K> {
  tap(listener: (entry: BusEntry<K>) => void): () => void;
}

/** TRAP_BUS=memory: a bounded FIFO in this process (count and bytes); what does not fit is dropped and counted. */
export class MemoryForwarderQueue<K> implements ForwarderQueue {
  readonly engine = 'memory' as const;
  private items: QueuedEvent[] = [];
  private head = 0;
  private bytes = 0;
  private firstAt = 0;
  private wake: (() => void) | undefined;
  private closed = false;
  private untap: (() => void) | undefined;
  dropped = 0;
  private readonly source: EntrySource<K>;
  private readonly options: { filter: EventFilter<K> | undefined; maxEvents: number; maxBytes: number };

  constructor(source: EntrySource<K>, options: { filter: EventFilter<K> | undefined; maxEvents: number; maxBytes: number }) {
    this.source = source;
    this.options = options;
  }

  start(): void {
    this.untap ??= this.source.tap((entry) => this.offer(entry));
  }

  /** Queues an entry that passes the filter, if it fits. */
  offer(entry: BusEntry<K>): void {
    if (this.closed || (this.options.filter && !this.options.filter(entry.key))) return;
    if (this.length >= this.options.maxEvents || this.bytes + entry.size > this.options.maxBytes) {
      this.dropped++;
      return;
    }
    if (this.length === 0) this.firstAt = performance.now();
    this.items.push({ id: entry.id, json: entry.json, size: entry.size });
    this.bytes += entry.size;
    this.wake?.();
  }

  async next(maxEvents: number, maxWaitMs: number): Promise<QueuedEvent[] | undefined> {
    while (!this.closed && this.length === 0) await this.sleep(Infinity);
    while (!this.closed && this.length < maxEvents) {
      const left = this.firstAt + maxWaitMs - performance.now();
      if (left <= 0) break;
      await this.sleep(left);
    }
    if (this.closed) return undefined;
    const batch = this.items.slice(this.head, this.head + maxEvents);
    this.head += batch.length;
    for (const item of batch) this.bytes -= item.size;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.length > 0) this.firstAt = performance.now();
    return batch;
  }

  async ack(): Promise<void> {}

  holding(): void {}

  depth(): { events: number; bytes: number } {
    return { events: this.length, bytes: this.bytes };
  }

  close(): void {
    this.closed = true;
    this.untap?.();
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    this.wake?.();
  }

  private get length(): number {
    return this.items.length - this.head;
  }

  /** Until an event arrives, the queue closes, or ms pass. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === Infinity ? undefined : setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
