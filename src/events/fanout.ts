import type { BusEntry } from './bus-engine.ts';
import type { EntryBatch } from './follower-engine.ts';

/** The window a fan-out reads: every entry as it enters (tap), and what it holds now (for a newcomer). */
export interface FanoutSource<K> {
  readonly oldestSeq: number;
  readonly lastSeq: number;
  read(after: number, filter: undefined, limit: number): { entries: BusEntry<K>[] };
  tap(listener: (entry: BusEntry<K>) => void): () => void;
}

/** Where one follower's batches go (a cluster worker over IPC). */
export interface FollowerLink<K> {
  /** Sends a batch; calls `sent` once it has left this process, or failed to. */
  send(batch: EntryBatch<K>, sent: () => void): void;
}

export interface FanoutOptions {
  /** The memory engine's epoch: the first part of every id. */
  epochMs: number;
  /** Bytes sent to one follower and not yet written out, at most; beyond it its batches are dropped (a hole). */
  maxInFlightBytes: number;
}

/** What a batch costs besides its entries' JSON: the ids, the keys, the framing (an estimate). */
const ENTRY_WIRE_OVERHEAD = 96;
/** A newcomer receives the window in batches of this many entries. */
const SNAPSHOT_BATCH = 1_000;

interface FollowerState<K> {
  link: FollowerLink<K>;
  inFlight: number;
  /** Events dropped since the last batch that went out: the next batch tells the follower (a hole). */
  dropped: number;
}

/**
 * The primary's side of the memory bus with cluster workers (WORKERS > 1, TRAP_BUS=memory): every
 * entry entering its window goes to every worker, in order, batched per event-loop turn (at 30 000
 * traps/s, a few hundred messages per second rather than 30 000 per worker). Node's IPC queues
 * without bound, so each worker may have at most maxInFlightBytes not yet written out: beyond it, its
 * batches are dropped and the next one carries the count, which its subscribers see as a gap.
 */
export class BusFanout<K> {
  private readonly followers = new Set<FollowerState<K>>();
  private pending: BusEntry<K>[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  private readonly untap: () => void;

  private readonly source: FanoutSource<K>;
  private readonly options: FanoutOptions;
  constructor(source: FanoutSource<K>, options: FanoutOptions) {
    this.source = source;
    this.options = options;
    this.untap = source.tap((entry) => this.add(entry));
  }

  /** Starts sending to a follower: first the window as it stands, then every new entry. Returns how to stop. */
  follow(link: FollowerLink<K>): () => void {
    this.flush();
    const state: FollowerState<K> = { link, inFlight: 0, dropped: 0 };
    const { entries } = this.source.read(this.source.oldestSeq - 1, undefined, Infinity);
    // The window is bounded (TRAP_BUFFER_BYTES): it is sent whole, whatever maxInFlightBytes says.
    let start = 0;
    do {
      const chunk = entries.slice(start, start + SNAPSHOT_BATCH);
      this.send(state, chunk, wireBytes(chunk));
      start += SNAPSHOT_BATCH;
    } while (start < entries.length);
    this.followers.add(state);
    return () => this.followers.delete(state);
  }

  /** Bytes sent to followers and not yet written out, all together. */
  get inFlightBytes(): number {
    let bytes = 0;
    for (const follower of this.followers) bytes += follower.inFlight;
    return bytes;
  }

  close(): void {
    this.flush();
    this.untap();
    this.followers.clear();
  }

  private add(entry: BusEntry<K>): void {
    this.pending.push(entry);
    this.pendingBytes += entry.size + entry.id.length + ENTRY_WIRE_OVERHEAD;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const entries = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    for (const follower of this.followers) {
      if (follower.inFlight + bytes > this.options.maxInFlightBytes) follower.dropped += entries.length;
      else this.send(follower, entries, bytes);
    }
  }

  private send(follower: FollowerState<K>, entries: BusEntry<K>[], bytes: number): void {
    const batch: EntryBatch<K> = { epochMs: this.options.epochMs, lastN: this.source.lastSeq, dropped: follower.dropped, entries };
    follower.dropped = 0;
    follower.inFlight += bytes;
    follower.link.send(batch, () => (follower.inFlight -= bytes));
  }
}

function wireBytes(entries: BusEntry<unknown>[]): number {
  let bytes = 0;
  for (const entry of entries) bytes += entry.size + entry.id.length + ENTRY_WIRE_OVERHEAD;
  return bytes;
}
