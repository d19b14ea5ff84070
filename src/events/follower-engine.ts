import type { AppendOutcome, BusEngine, BusEntry, BusStatus, BusWindow, EngineStats, Location } from './bus-engine.ts';
import { parseStreamId, type StreamId } from './stream-id.ts';

/**
 * Entries of the memory engine of another process (the cluster primary, which receives the traps),
 * as it sends them to a follower: in its order, with its ids.
 */
export interface EntryBatch<K> {
  /** The primary's engine epoch: the first part of every id of its run. */
  epochMs: number;
  /** The primary's newest id's sequence number when it sent this batch. */
  lastN: number;
  /** Events the primary dropped for this follower just before these (it lagged): a hole. */
  dropped: number;
  entries: BusEntry<K>[];
}

/**
 * How far beyond the newest event it holds an id of the primary's run may be and still be waited for
 * (passed over as it arrives) rather than treated as unknown: a follower is behind the primary by what
 * is in flight between them, never by this much. A forged id within it only makes its own client wait.
 */
const AHEAD_SLACK = 100_000;

/**
 * The bus engine of an HTTP worker (WORKERS > 1, TRAP_BUS=memory): it appends nothing (the primary
 * receives the traps); its window is fed with the primary's entries (receive()), so that every
 * worker holds the same events with the same ids in the same order, and a client resumes with
 * Last-Event-ID on any worker. The first batch a worker receives is the primary's window as it stands.
 */
export class FollowerEngine<K> implements BusEngine<K> {
  readonly kind = 'memory' as const;
  private window: BusWindow<K> | undefined;
  private epochMs: number | undefined;
  /** The primary's sequence number (ids `<epoch>-<n>`) of the newest entry received. */
  private lastIngested = 0;
  /** The primary's newest sequence number as far as this process knows (it may not have received it yet). */
  private lastN = 0;
  private dropped = 0;
  private connected = true;

  attach(window: BusWindow<K>): void {
    if (this.window) throw new Error('the engine already serves a bus');
    this.window = window;
  }

  append(): AppendOutcome {
    throw new Error('a worker does not receive traps: the primary appends them');
  }

  /** Adds the primary's entries to the window, after a hole when it dropped some for this worker. */
  receive(batch: EntryBatch<K>): void {
    const window = this.window!;
    if (this.epochMs !== undefined && batch.epochMs !== this.epochMs) throw new Error('entries of another run of the primary');
    this.epochMs = batch.epochMs;
    if (batch.dropped > 0) {
      this.dropped += batch.dropped;
      window.hole();
    }
    for (const entry of batch.entries) {
      const n = parseStreamId(entry.id)?.seq;
      if (n === undefined || n <= this.lastIngested) continue;
      window.ingest(entry);
      this.lastIngested = n;
    }
    this.lastN = Math.max(this.lastN, this.lastIngested, batch.lastN);
  }

  /** The primary is gone (the IPC channel closed): /readyz says so. */
  disconnected(): void {
    this.connected = false;
  }

  locate(id: StreamId): Location {
    const window = this.window!;
    if (this.epochMs === undefined || id.ms !== this.epochMs) return { kind: 'unknown' };
    if (id.seq > this.lastIngested) return id.seq <= this.lastN + AHEAD_SLACK ? { kind: 'ahead' } : { kind: 'unknown' };
    const seq = window.seqOf(id);
    if (seq !== undefined) return { kind: 'seq', seq };
    // Older than the window: a position before it, so that the gap counts the events the primary gave
    // after the id and before the window's oldest.
    return { kind: 'seq', seq: window.oldestSeq - window.idAt(window.oldestSeq).seq + id.seq };
  }

  status(): BusStatus {
    const status: BusStatus = { engine: 'memory', state: this.connected ? 'up' : 'down', backlog: { events: 0, bytes: 0 } };
    if (!this.connected) status.detail = 'the primary process is gone';
    return status;
  }

  stats(): EngineStats {
    return { dropped: this.dropped > 0 ? { workerLagged: this.dropped } : {}, suppressed: 0, reconnects: 0 };
  }

  async close(): Promise<void> {}
}
