import type { BusStatus } from './schemas.ts';
import type { StreamId } from './stream-id.ts';

/**
 * The part of the trap bus that differs between one process and several: who gives an event its id,
 * and where events live beyond the bus's window. Everything a subscriber sees (filters, queues and their
 * bounds, gaps, resume, the subscriber limit) is written once, in EventBus, above the engine.
 *
 * - MemoryEngine (TRAP_BUS=memory, the default): ids `<start ms>-<n>`, given at once; the window is all
 *   there is.
 * - RedisStreamEngine (TRAP_BUS=redis): events are appended to a Redis stream, which gives the ids; one
 *   reader per process feeds the window from the stream, so every replica's window holds the same
 *   events with the same ids; resumes from beyond the window read the stream.
 */
export const BUS_ENGINES = ['memory', 'redis'] as const;
export type BusEngineKind = (typeof BUS_ENGINES)[number];

/** up: appending and reading; connecting: not yet connected since start; down: lost, retrying. */
export const BUS_STATES = ['up', 'connecting', 'down'] as const;
export type BusState = (typeof BUS_STATES)[number];

/** What the bus asks an engine to append: the event's JSON without its id, and the fields filters test. */
export interface EntryDraft<K> {
  key: K;
  /** The event's JSON without `id` (an object: `{...}`). */
  body: string;
  /** UTF-8 bytes of body. */
  bodyBytes: number;
  /** Fingerprint for duplicate suppression (TRAP_DEDUP_MS), when it is on. */
  fingerprint?: string;
}

/** One event as the bus holds it: its JSON, serialized once for every subscriber and reader. */
export interface BusEntry<K> {
  /** An entry is also what subscribers take (BusItem), as it is. */
  kind: 'event';
  id: string;
  key: K;
  json: string;
  /** UTF-8 bytes of the JSON: what it costs on the wire. */
  size: number;
}

/** Why an append was refused at once. */
export const APPEND_DROP_REASONS = ['tooLarge', 'backlogFull'] as const;
export type AppendDropReason = (typeof APPEND_DROP_REASONS)[number];

export type AppendOutcome =
  /** Given its id and offered to subscribers already (memory). */
  | { status: 'published'; id: string }
  /** Waiting to be appended to the shared stream (redis). */
  | { status: 'queued' }
  /** A duplicate of an event seen within TRAP_DEDUP_MS (memory; redis decides when appending). */
  | { status: 'suppressed' }
  | { status: 'dropped'; reason: AppendDropReason };

/** The bus as its engine sees it: where entries go, in stream order. */
export interface BusWindow<K> {
  /** Events whose JSON is larger than this (UTF-8 bytes) are refused. */
  readonly maxEventBytes: number;
  /** Sequence number of the newest entry in the window (0 before the first), counted by this process. */
  readonly lastSeq: number;
  /** Seq of the oldest entry in the window (lastSeq + 1 when it is empty). */
  readonly oldestSeq: number;
  /** The seq of the newest entry whose id is ≤ id, when the window holds ids on both sides of it. */
  seqOf(id: StreamId): number | undefined;
  /** The parsed id of the entry at seq (oldestSeq ≤ seq ≤ lastSeq). */
  idAt(seq: number): StreamId;
  /** Adds an entry after the newest and offers it to every subscriber. */
  ingest(entry: BusEntry<K>): void;
  /** Entries were lost between the newest entry and the next one: every live subscriber gets a gap. */
  hole(): void;
}

/** Where a resume id lies. */
export type Location =
  /** After this window seq (older than the window: a gap counting what was lost). */
  | { kind: 'seq'; seq: number }
  /** Not an id of this stream: a gap of unknown size, then everything the window holds. */
  | { kind: 'unknown' }
  /** Only the shared stream can tell: read it (engines with history). */
  | { kind: 'history' }
  /**
   * An id of this stream that has not reached this process's window yet (a cluster worker a little
   * behind the primary): events up to it are passed over as they arrive, then delivered.
   */
  | { kind: 'ahead' };

/** Entries after an id, read from the shared stream. */
export interface HistoryPage<K> {
  /** The id is not one the stream ever gave (newer than its last): start over from its oldest event. */
  unknown: boolean;
  /** Events after the id were trimmed: a gap (count null: unknown) before `entries`. */
  trimmed: boolean;
  /** Entries after the id, oldest first, at most the page size (entries that are not events left out). */
  entries: BusEntry<K>[];
  /** Where the next page starts: after the last entry read, event or not. */
  next: StreamId;
}

export type { BusStatus } from './schemas.ts';

/** Counters an engine keeps, read by the events area's metrics at scrape time. */
export interface EngineStats {
  /** Events dropped by the engine, by reason (backlogFull, invalidEntry, …). */
  dropped: Record<string, number>;
  /** Duplicates suppressed (TRAP_DEDUP_MS). */
  suppressed: number;
  reconnects: number;
}

/** What /snmp/traps/recent asks for. */
export interface QueryRequest<K> {
  limit: number;
  filter?: (key: K) => boolean;
  /** Events after this id, oldest first; without it, the newest. */
  since?: StreamId;
  /** Examine at most this many events. */
  scanLimit: number;
  /** Stop once the events found hold this many bytes of JSON. */
  maxBytes: number;
}

/** The events /snmp/traps/recent lists. */
export interface QueryResult<K> {
  entries: BusEntry<K>[];
  /** Id of the newest event of the stream (null before the first). */
  lastId: string | null;
  /** With `since`: events after it no longer held (null: unknown how many); 0 when none. */
  missed: number | null;
}

export interface BusEngine<K> {
  readonly kind: BusEngineKind;
  /** Called once by the bus the engine serves. */
  attach(window: BusWindow<K>): void;
  append(draft: EntryDraft<K>): AppendOutcome;
  locate(id: StreamId): Location;
  /**
   * Starts reading the shared stream (engines that have one). Resolves once the reader knows where the
   * stream ends, so that a subscriber taken from then on misses nothing appended after it subscribed
   * (never, when the engine is closed first).
   */
  start?(): Promise<void>;
  /** Reads the shared stream after `after`; only engines that keep events beyond the window have it. */
  readonly history?: (after: StreamId, limit: number) => Promise<HistoryPage<K>>;
  /** Lists events from the shared stream; without it, /recent lists the window. */
  readonly query?: (request: QueryRequest<K>) => Promise<QueryResult<K>>;
  status(): BusStatus;
  stats(): EngineStats;
  /** Stops reading and writing; resolves once pending appends are flushed or given up. */
  close(): Promise<void>;
}

/**
 * What an entry costs besides its JSON text (the entry and key objects and their strings: about 200
 * bytes measured), counted in every byte bound so that many tiny events cannot exceed it either.
 */
export const ENTRY_OVERHEAD_BYTES = 256;

/** The JSON of an event with its id first, spliced onto the JSON of its other fields. */
export function entryJson(id: string, body: string): string {
  return body === '{}' ? `{"id":"${id}"}` : `{"id":"${id}",${body.slice(1)}`;
}

/** UTF-8 bytes `"id":"<id>",` adds to a body, for the longest id (two 15-digit numbers). */
export const MAX_ID_OVERHEAD_BYTES = '"id":"",'.length + 31;

/** The entry of an event; `bodyBytes`, when known, spares counting the body's UTF-8 bytes again (the id is ASCII). */
export function makeEntry<K>(id: string, key: K, body: string, bodyBytes?: number): BusEntry<K> {
  const json = entryJson(id, body);
  return { kind: 'event', id, key, json, size: bodyBytes === undefined ? Buffer.byteLength(json) : bodyBytes + json.length - body.length };
}
