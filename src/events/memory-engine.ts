import { makeEntry, type AppendOutcome, type BusEngine, type BusStatus, type BusWindow, type EngineStats, type EntryDraft, type Location } from './bus-engine.ts';
import { DedupWindow } from './dedup.ts';
import type { StreamId } from './stream-id.ts';

export interface MemoryEngineOptions {
  /** TRAP_DEDUP_MS: suppress an event whose fingerprint was seen this recently (0: off). */
  dedupMs: number;
  /** The first part of every id: when this process started, so ids never repeat across restarts. */
  epochMs?: number;
}

/**
 * The embedded engine (TRAP_BUS=memory): one process, no shared storage. Event n of this run gets the
 * id `<epoch>-<n>` (the shape of a Redis stream id), where epoch is the time the process started: ids
 * never repeat across restarts, keep increasing, and an id from an earlier run is recognised (a gap of
 * unknown size, then the whole window). n is also the event's seq in the window.
 */
export class MemoryEngine<K> implements BusEngine<K> {
  readonly kind = 'memory' as const;
  readonly epochMs: number;
  private window: BusWindow<K> | undefined;
  private readonly dedup: DedupWindow | undefined;
  private suppressed = 0;

  constructor(options: MemoryEngineOptions) {
    this.epochMs = options.epochMs ?? Date.now();
    this.dedup = options.dedupMs > 0 ? new DedupWindow(options.dedupMs) : undefined;
  }

  attach(window: BusWindow<K>): void {
    if (this.window) throw new Error('the engine already serves a bus');
    this.window = window;
  }

  append(draft: EntryDraft<K>): AppendOutcome {
    const window = this.window!;
    const entry = makeEntry(`${this.epochMs}-${window.lastSeq + 1}`, draft.key, draft.body, draft.bodyBytes);
    if (entry.size > window.maxEventBytes) return { status: 'dropped', reason: 'tooLarge' };
    if (draft.fingerprint !== undefined && this.dedup && !this.dedup.claim(draft.fingerprint)) {
      this.suppressed++;
      return { status: 'suppressed' };
    }
    window.ingest(entry);
    return { status: 'published', id: entry.id };
  }

  locate(id: StreamId): Location {
    if (id.ms !== this.epochMs || id.seq > this.window!.lastSeq) return { kind: 'unknown' };
    return { kind: 'seq', seq: id.seq };
  }

  status(): BusStatus {
    return { engine: 'memory', state: 'up', backlog: { events: 0, bytes: 0 } };
  }

  stats(): EngineStats {
    return { dropped: {}, suppressed: this.suppressed, reconnects: 0 };
  }

  async close(): Promise<void> {}
}
