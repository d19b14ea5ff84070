import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { READER_BLOCK_MS } from '../redis/connection.ts';
import { streamEntries, streamInfo, xreadEntries, type RawStreamEntry, type StreamInfo } from '../redis/replies.ts';
import { RedisScript } from '../redis/script.ts';
import {
  ENTRY_OVERHEAD_BYTES,
  makeEntry,
  MAX_ID_OVERHEAD_BYTES,
  type AppendOutcome,
  type BusEngine,
  type BusEntry,
  type BusState,
  type BusStatus,
  type BusWindow,
  type EngineStats,
  type EntryDraft,
  type HistoryPage,
  type Location,
  type QueryRequest,
  type QueryResult,
} from './bus-engine.ts';
import { compareIdTexts, compareStreamIds, formatStreamId, parseStreamId, ZERO_ID, type StreamId } from './stream-id.ts';

/** How the fields filters test are written beside an event in the stream, and read back. */
export interface KeyCodec<K> {
  encode(key: K): string;
  /** undefined when the text is not a key (an entry written by something else). */
  decode(text: string): K | undefined;
}

export interface RedisStreamEngineOptions<K> {
  /** Appends, reads of the stream's history, /recent. */
  client: Redis;
  /** Dedicated to the blocking XREAD of the stream reader. */
  reader: Redis;
  /** TRAP_STREAM. */
  stream: string;
  /** TRAP_STREAM_MAXLEN: XADD … MAXLEN ~ this. */
  maxLen: number;
  /** TRAP_STREAM_MAX_AGE_MS: after each batch, XTRIM … MINID ~ (now − this); 0: off. */
  maxAgeMs: number;
  /** TRAP_DEDUP_MS: claim each fingerprint with SET NX PX this; 0: off. */
  dedupMs: number;
  /** Prefix of the fingerprint keys. */
  dedupPrefix: string;
  /** TRAP_BUS_BACKLOG, TRAP_BUS_BACKLOG_BYTES: events waiting while Redis cannot take them. */
  backlog: number;
  backlogBytes: number;
  keyCodec: KeyCodec<K>;
  logger: Logger;
  /** Observes how long each appended batch took (seconds). */
  appendLatency: (seconds: number) => void;
}

/** Events one append (one script call) carries at most, and their bytes. */
const BATCH_MAX_EVENTS = 1_000;
const BATCH_MAX_BYTES = 4 * 1024 * 1024;
/**
 * Entries per XREAD, and per page when /recent reads the stream: as many as fit, at the largest event
 * (TRAP_MAX_EVENT_BYTES), in these many bytes, within bounds. A reply is held whole before it is read.
 */
const READ_BYTES = 32 * 1024 * 1024;
const QUERY_BYTES = 8 * 1024 * 1024;

function entriesFitting(bytes: number, maxEventBytes: number, most: number): number {
  return Math.max(1, Math.min(most, Math.floor(bytes / maxEventBytes)));
}
/** Stream reads for subscribers catching up, at once (each holds at most a page of events). */
const HISTORY_READS_AT_ONCE = 4;
/** Waiting for Redis to come back: how often to look. */
const WRITER_POLL_MS = 100;
/** How long close() tries to append what is still waiting. */
const CLOSE_FLUSH_MS = 2_000;

/**
 * Appends a batch in one round trip, in order. Per event (fingerprint, key, body): with duplicate
 * suppression on, the fingerprint is claimed with SET NX PX first and a duplicate is skipped; then
 * XADD … MAXLEN ~ (count retention), with the id of the entry before it (`p`): whoever reads an entry
 * whose `p` is newer than the last id they read knows that entries between were trimmed (a gap).
 * Then, when on, XTRIM … MINID ~ (age retention, by the server's clock). Returns { appended, suppressed }.
 */
const APPEND_SCRIPT = new RedisScript(`
local stream = KEYS[1]
local maxlen, maxage, dedup, prefix = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local appended, suppressed = 0, 0
local last = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
local previous = last[1] and last[1][1] or '0-0'
for i = 5, #ARGV, 3 do
  local fingerprint = ARGV[i]
  if dedup > 0 and fingerprint ~= '' and not redis.call('SET', prefix .. fingerprint, '1', 'NX', 'PX', dedup) then
    suppressed = suppressed + 1
  else
    previous = redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'p', previous, 'k', ARGV[i + 1], 'e', ARGV[i + 2])
    appended = appended + 1
  end
end
if maxage > 0 then
  local now = redis.call('TIME')
  local minid = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - maxage
  redis.call('XTRIM', stream, 'MINID', '~', string.format('%d', minid))
end
return { appended, suppressed }
`);

interface Pending {
  body: string;
  keyText: string;
  fingerprint: string;
  /** What it holds in memory, for TRAP_BUS_BACKLOG_BYTES. */
  cost: number;
}

/**
 * The Redis Streams engine (TRAP_BUS=redis). Every replica appends the events its receiver decodes to
 * one stream, and one reader per replica (XREAD BLOCK on a dedicated connection) brings every event of
 * the stream, in stream order, into its bus's window, whence the bus fans out to local subscribers.
 * Ids are the stream's ids: the same on every replica.
 *
 * Appends go through a bounded backlog, in batches (one script call each, one batch in flight: events
 * that arrive meanwhile make the next batch). While Redis is unreachable the backlog holds what the
 * receiver decodes, and is appended in order once Redis is back; past its bounds new events are dropped
 * and counted. An append whose answer is lost with the connection is sent again: at-least-once.
 */
export class RedisStreamEngine<K> implements BusEngine<K> {
  readonly kind = 'redis' as const;
  private window: BusWindow<K> | undefined;
  private readonly pending: Pending[] = [];
  private head = 0;
  private pendingBytes = 0;
  private draining = false;
  /** The id the reader continues after; undefined until it has found where the stream ends. */
  private lastReadId: string | undefined;
  private readerState: BusState = 'connecting';
  private writerState: BusState = 'connecting';
  private state: BusState = 'connecting';
  private lastError: string | undefined;
  private started = false;
  private closing = false;
  private stopped = false;
  private readonly dropped = { backlogFull: 0, invalidEntry: 0 };
  private suppressed = 0;
  private reconnects = 0;
  private historyReads = 0;
  private readonly historyQueue: (() => void)[] = [];
  private markPositioned!: () => void;
  private readonly positioned = new Promise<void>((resolve) => (this.markPositioned = resolve));

  private readonly options: RedisStreamEngineOptions<K>;

  constructor(options: RedisStreamEngineOptions<K>) {
    this.options = options;
    options.client.on('ready', () => {
      this.setWriter('up');
      this.scheduleDrain();
    });
    options.client.on('close', () => this.setWriter('down', 'connection closed'));
    for (const connection of [options.client, options.reader]) connection.on('error', (err: Error) => (this.lastError = err.message));
  }

  attach(window: BusWindow<K>): void {
    if (this.window) throw new Error('the engine already serves a bus');
    this.window = window;
  }

  /** Starts the stream reader (main.ts, once the receiver is listening); resolves once it has found where the stream ends. */
  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      if (this.options.client.status === 'ready') this.setWriter('up');
      void this.readLoop();
    }
    return this.positioned;
  }

  append(draft: EntryDraft<K>): AppendOutcome {
    if (draft.bodyBytes + MAX_ID_OVERHEAD_BYTES > this.window!.maxEventBytes) return { status: 'dropped', reason: 'tooLarge' };
    const keyText = this.options.keyCodec.encode(draft.key);
    const fingerprint = draft.fingerprint ?? '';
    const cost = draft.bodyBytes + keyText.length + fingerprint.length + ENTRY_OVERHEAD_BYTES;
    if (this.backlogLength >= this.options.backlog || this.pendingBytes + cost > this.options.backlogBytes) {
      this.dropped.backlogFull++;
      return { status: 'dropped', reason: 'backlogFull' };
    }
    this.pending.push({ body: draft.body, keyText, fingerprint, cost });
    this.pendingBytes += cost;
    this.scheduleDrain();
    return { status: 'queued' };
  }

  locate(id: StreamId): Location {
    const seq = this.window!.seqOf(id);
    return seq === undefined ? { kind: 'history' } : { kind: 'seq', seq };
  }

  readonly history = async (after: StreamId, limit: number): Promise<HistoryPage<K>> => {
    await this.historySlot();
    try {
      const [info, raw] = await this.infoAndRange(after, limit);
      if (compareIdTexts(formatStreamId(after), info.lastGeneratedId) > 0) return { unknown: true, trimmed: false, entries: [], next: ZERO_ID };
      const trimmed = trimmedAfter(after, raw, info);
      const next = raw.length > 0 ? (parseStreamId(raw[raw.length - 1].id) ?? after) : after;
      return { unknown: false, trimmed, entries: this.toEntries(raw), next };
    } finally {
      this.releaseHistorySlot();
    }
  };

  /** /snmp/traps/recent: read from the stream itself, so that every replica answers alike. */
  readonly query = async ({ limit, filter, since, scanLimit, maxBytes }: QueryRequest<K>): Promise<QueryResult<K>> => {
    const matched: BusEntry<K>[] = [];
    let bytes = 0;
    let scanned = 0;
    const keep = (entry: BusEntry<K>) => {
      if (filter && !filter(entry.key)) return;
      matched.push(entry);
      bytes += entry.size;
    };
    const full = () => matched.length >= limit || scanned >= scanLimit || bytes >= maxBytes;
    const page = entriesFitting(QUERY_BYTES, this.window!.maxEventBytes, 100);
    if (since === undefined) {
      let end = '+';
      let lastId: string | null = null;
      while (!full()) {
        const raw = this.checkedEntries(await this.options.client.call('XREVRANGE', this.options.stream, end, '-', 'COUNT', page));
        if (lastId === null && raw.length > 0) lastId = raw[0].id;
        scanned += raw.length;
        for (const entry of this.toEntries(raw)) if (matched.length < limit) keep(entry);
        if (raw.length < page) break;
        end = `(${raw[raw.length - 1].id}`;
      }
      return { entries: matched.reverse(), lastId, missed: 0 };
    }
    let [info, raw] = await this.infoAndRange(since, page);
    const unknown = compareIdTexts(formatStreamId(since), info.lastGeneratedId) > 0;
    if (unknown) [info, raw] = await this.infoAndRange(ZERO_ID, page);
    const missed = unknown || trimmedAfter(since, raw, info) ? null : 0;
    for (;;) {
      scanned += raw.length;
      for (const entry of this.toEntries(raw)) if (matched.length < limit) keep(entry);
      if (raw.length < page || full()) break;
      raw = this.checkedEntries(await this.options.client.call('XRANGE', this.options.stream, `(${raw[raw.length - 1].id}`, '+', 'COUNT', page));
    }
    return { entries: matched, lastId: info.lastGeneratedId === '0-0' ? null : info.lastGeneratedId, missed };
  };

  status(): BusStatus {
    const detail = this.state === 'up' ? undefined : (this.lastError ?? (this.started ? 'connecting to Redis' : 'not started'));
    return {
      engine: 'redis',
      state: this.state,
      ...(detail === undefined ? {} : { detail }),
      backlog: { events: this.backlogLength, bytes: this.pendingBytes },
    };
  }

  stats(): EngineStats {
    return { dropped: { ...this.dropped }, suppressed: this.suppressed, reconnects: this.reconnects };
  }

  /** Stops the reader and tries, for a short while, to append what is still waiting. */
  async close(): Promise<void> {
    this.closing = true;
    this.markPositioned();
    this.options.reader.disconnect();
    const deadline = Date.now() + CLOSE_FLUSH_MS;
    while (this.backlogLength > 0 && Date.now() < deadline && this.options.client.status === 'ready') {
      this.scheduleDrain();
      await sleep(20);
    }
    this.stopped = true;
  }

  get backlogLength(): number {
    return this.pending.length - this.head;
  }

  private async readLoop(): Promise<void> {
    let failures = 0;
    while (!this.closing) {
      const { status } = this.options.reader;
      if (status !== 'ready') {
        // Connecting for the first time is not an outage; a connection that failed or was lost is.
        if (status === 'reconnecting' || status === 'close' || status === 'end') this.setReader('down');
        await sleep(WRITER_POLL_MS);
        continue;
      }
      try {
        if (this.lastReadId === undefined) {
          this.lastReadId = await this.streamEnd();
          this.options.logger.info({ after: this.lastReadId }, 'trap bus: reading the stream');
          this.markPositioned();
          this.scheduleDrain();
        }
        this.setReader('up');
        failures = 0;
        const count = entriesFitting(READ_BYTES, this.window!.maxEventBytes, 1_000);
        const reply = await this.options.reader.call('XREAD', 'COUNT', count, 'BLOCK', READER_BLOCK_MS, 'STREAMS', this.options.stream, this.lastReadId);
        const raw = xreadEntries(reply);
        if (!raw) throw new Error('unexpected XREAD reply');
        this.ingest(raw);
      } catch (err) {
        if (this.closing) return;
        this.setReader('down', err);
        await sleep(Math.min(100 * 2 ** Math.min(failures++, 4), 1_000));
      }
    }
  }

  /** The id of the stream's newest entry ('0-0' when it is empty or absent): the reader starts after it. */
  private async streamEnd(): Promise<string> {
    const raw = this.checkedEntries(await this.options.reader.call('XREVRANGE', this.options.stream, '+', '-', 'COUNT', 1));
    return raw.length > 0 && parseStreamId(raw[0].id) ? raw[0].id : '0-0';
  }

  private ingest(raw: RawStreamEntry[]): void {
    let last = parseStreamId(this.lastReadId!) ?? ZERO_ID;
    for (const item of raw) {
      const id = parseStreamId(item.id);
      if (!id || compareStreamIds(id, last) <= 0) {
        this.dropped.invalidEntry++;
        continue;
      }
      last = id;
      // Entries between the last one read and this one were trimmed before this reader got them (it was
      // disconnected, or far behind): subscribers get a gap.
      const previous = item.fields.get('p');
      if (previous !== undefined && compareIdTexts(previous, this.lastReadId!) > 0) {
        this.options.logger.warn({ lastReadId: this.lastReadId, next: item.id }, 'trap stream: events were trimmed before this replica read them');
        this.window!.hole();
      }
      this.lastReadId = item.id;
      const entry = this.toEntry(item);
      if (entry) this.window!.ingest(entry);
      else this.dropped.invalidEntry++;
    }
  }

  /** A stream entry as the bus holds it; undefined (counted) when it is not one this service wrote. */
  private toEntry(raw: RawStreamEntry): BusEntry<K> | undefined {
    return entryFromStream(raw, this.options.keyCodec, this.window!.maxEventBytes);
  }

  private toEntries(raw: RawStreamEntry[]): BusEntry<K>[] {
    const entries: BusEntry<K>[] = [];
    for (const item of raw) {
      const entry = this.toEntry(item);
      if (entry) entries.push(entry);
      else this.dropped.invalidEntry++;
    }
    return entries;
  }

  private checkedEntries(reply: unknown): RawStreamEntry[] {
    const raw = streamEntries(reply);
    if (!raw) throw new Error('unexpected reply to a stream range');
    return raw;
  }

  /** XINFO STREAM and XRANGE (after, +] in one round trip. */
  private async infoAndRange(after: StreamId, limit: number): Promise<[StreamInfo, RawStreamEntry[]]> {
    const results = await this.options.client
      .pipeline()
      .call('XINFO', 'STREAM', this.options.stream)
      .call('XRANGE', this.options.stream, `(${formatStreamId(after)}`, '+', 'COUNT', limit)
      .exec();
    if (!results || results.length !== 2) throw new Error('unexpected reply to a pipeline');
    const [[infoError, infoReply], [rangeError, rangeReply]] = results;
    if (rangeError) throw rangeError;
    return [this.infoFrom(infoError, infoReply), this.checkedEntries(rangeReply)];
  }

  private infoFrom(error: Error | null, reply: unknown): StreamInfo {
    // A stream that does not exist (yet, or any more) has given no id.
    if (error && /no such key/i.test(error.message)) return { lastGeneratedId: '0-0' };
    if (error) throw error;
    const info = streamInfo(reply);
    if (!info) throw new Error('unexpected XINFO STREAM reply');
    return info;
  }

  private scheduleDrain(): void {
    if (this.draining || this.stopped || this.backlogLength === 0) return;
    this.draining = true;
    // Let the rest of this event-loop turn's datagrams join the batch.
    setImmediate(() => void this.drain());
  }

  /** Appends batch after batch until the backlog is empty; waits while Redis cannot take them. */
  private async drain(): Promise<void> {
    let failures = 0;
    try {
      while (this.backlogLength > 0 && !this.stopped) {
        if (this.options.client.status !== 'ready' || this.lastReadId === undefined) {
          await sleep(WRITER_POLL_MS);
          continue;
        }
        try {
          await this.appendBatch();
          failures = 0;
        } catch (err) {
          this.setWriter('down', err);
          await sleep(Math.min(100 * 2 ** Math.min(failures++, 4), 1_000));
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async appendBatch(): Promise<void> {
    const { maxLen, maxAgeMs, dedupMs, dedupPrefix, stream } = this.options;
    const args: (string | number)[] = [maxLen, maxAgeMs, dedupMs, dedupPrefix];
    let count = 0;
    let bytes = 0;
    while (count < BATCH_MAX_EVENTS && this.head + count < this.pending.length) {
      const item = this.pending[this.head + count];
      if (count > 0 && bytes + item.cost > BATCH_MAX_BYTES) break;
      args.push(item.fingerprint, item.keyText, item.body);
      bytes += item.cost;
      count++;
    }
    const started = performance.now();
    const reply = await APPEND_SCRIPT.run(this.options.client, [stream], args);
    this.options.appendLatency((performance.now() - started) / 1000);
    if (Array.isArray(reply) && typeof reply[1] === 'number') this.suppressed += reply[1];
    this.head += count;
    this.pendingBytes -= bytes;
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
    this.setWriter('up');
  }

  private async historySlot(): Promise<void> {
    if (this.historyReads < HISTORY_READS_AT_ONCE) {
      this.historyReads++;
      return;
    }
    await new Promise<void>((resolve) => this.historyQueue.push(resolve));
  }

  private releaseHistorySlot(): void {
    const next = this.historyQueue.shift();
    if (next) next();
    else this.historyReads--;
  }

  private setReader(state: BusState, err?: unknown): void {
    this.readerState = state;
    if (err !== undefined) this.lastError = errorText(err);
    this.updateState();
  }

  private setWriter(state: BusState, err?: unknown): void {
    if (state === 'down' && this.writerState === 'connecting') return; // not connected yet: still connecting
    this.writerState = state;
    if (err !== undefined) this.lastError = errorText(err);
    this.updateState();
  }

  private updateState(): void {
    const states = [this.readerState, this.writerState];
    const next: BusState = states.every((s) => s === 'up') ? 'up' : states.includes('down') ? 'down' : 'connecting';
    if (next === this.state || this.closing) return;
    const previous = this.state;
    this.state = next;
    if (next === 'up') {
      if (previous === 'down') this.reconnects++;
      this.options.logger.info({ backlog: this.backlogLength }, 'trap bus: connected to Redis');
    } else if (next === 'down') {
      this.options.logger.warn({ detail: this.lastError, backlog: this.backlogLength }, 'trap bus: Redis unreachable; events wait in the backlog');
    }
  }
}

/** A stream entry as an event (its JSON and filter fields); undefined when it is not one this service wrote. */
export function entryFromStream<K>(raw: RawStreamEntry, keyCodec: KeyCodec<K>, maxEventBytes: number): BusEntry<K> | undefined {
  const body = raw.fields.get('e');
  const keyText = raw.fields.get('k');
  if (body === undefined || keyText === undefined || !parseStreamId(raw.id)) return undefined;
  // The event goes on one `data:` line of the SSE stream: an object, and no line break.
  if (body[0] !== '{' || body[body.length - 1] !== '}' || body.includes('\n') || body.includes('\r')) return undefined;
  const key = keyCodec.decode(keyText);
  if (key === undefined) return undefined;
  const entry = makeEntry(raw.id, key, body);
  return entry.size <= maxEventBytes ? entry : undefined;
}

/**
 * Whether events after `after` were trimmed: the first entry after it names, as `p`, an entry newer than
 * `after` that is gone; or the stream has nothing after it although it gave newer ids.
 */
function trimmedAfter(after: StreamId, raw: RawStreamEntry[], info: StreamInfo): boolean {
  const afterText = formatStreamId(after);
  if (raw.length === 0) return compareIdTexts(info.lastGeneratedId, afterText) > 0;
  const previous = raw[0].fields.get('p');
  return previous !== undefined && compareIdTexts(previous, afterText) > 0;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
