import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.ts';
import { flatMap, streamEntries, xreadEntries, type RawStreamEntry } from '../../redis/replies.ts';
import { entryFromStream, type KeyCodec } from '../redis-engine.ts';
import type { EventFilter } from '../trap-bus.ts';
import type { ForwarderQueue, QueuedEvent } from './queue.ts';

export interface RedisForwarderQueueOptions<K> {
  /** A connection of its own: XREADGROUP blocks it. */
  connection: Redis;
  /** TRAP_STREAM. */
  stream: string;
  /** The consumer group: one per forwarder, shared by every replica. */
  group: string;
  /** This replica's consumer name (host name and pid). */
  consumer: string;
  filter: EventFilter<K> | undefined;
  keyCodec: KeyCodec<K>;
  maxEventBytes: number;
  /** Pending entries idle this long belong to a consumer that died: claim them. */
  claimIdleMs: number;
  logger: Logger;
}

/** How long one XREADGROUP blocks at most, so that claims and closing are looked at in between. */
const BLOCK_MS = 1_000;
/** How often the group's backlog (lag and pending) is read for /snmp/traps/forwarders and the metrics. */
const DEPTH_REFRESH_MS = 1_000;

/**
 * TRAP_BUS=redis: one consumer group per forwarder on the trap stream (created at the stream's end, with
 * MKSTREAM, by whichever replica comes first). Each replica reads new entries with XREADGROUP as its own
 * consumer, so every event goes to one replica; an entry is acknowledged (XACK) once delivered or
 * dead-lettered, or at once when the forwarder's filter does not want it. Entries another consumer read
 * and left unacknowledged for claimIdleMs (its replica died mid-delivery) are claimed with XAUTOCLAIM
 * and delivered again: at least once. While a replica is delivering a batch it renews its claim
 * (XCLAIM … JUSTID), so that a slow receiver does not make another replica deliver it too.
 */
export class RedisForwarderQueue<K> implements ForwarderQueue {
  readonly engine = 'redis' as const;
  readonly dropped = 0;
  private groupReady = false;
  private closed = false;
  private lastClaimAt = 0;
  private claimCursor = '0-0';
  private backlog = 0;
  private depthReadAt = 0;
  private failures = 0;

  private readonly options: RedisForwarderQueueOptions<K>;

  constructor(options: RedisForwarderQueueOptions<K>) {
    this.options = options;
  }

  start(): void {}

  async next(maxEvents: number, maxWaitMs: number): Promise<QueuedEvent[] | undefined> {
    const batch: QueuedEvent[] = [];
    let deadline = Infinity;
    while (!this.closed) {
      try {
        await this.ensureGroup();
        this.refreshDepth();
        if (batch.length === 0 && performance.now() - this.lastClaimAt >= this.options.claimIdleMs / 2) {
          const claimed = await this.claim(maxEvents);
          if (claimed.length > 0) return claimed;
        }
        const block = Math.max(1, Math.min(BLOCK_MS, Math.ceil(deadline - performance.now())));
        const { connection, group, consumer, stream } = this.options;
        const reply = await connection.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', maxEvents - batch.length, 'BLOCK', block, 'STREAMS', stream, '>');
        const raw = xreadEntries(reply);
        if (!raw) throw new Error('unexpected XREADGROUP reply');
        this.failures = 0;
        if (batch.length === 0 && raw.length > 0) deadline = performance.now() + maxWaitMs;
        batch.push(...(await this.wanted(raw)));
        if (batch.length >= maxEvents || (batch.length > 0 && performance.now() >= deadline)) return batch;
        if (batch.length === 0) deadline = Infinity;
      } catch (err) {
        if (this.closed) break;
        if (/NOGROUP/.test(errorText(err))) this.groupReady = false;
        if (this.failures++ === 0) this.options.logger.warn({ err: { message: errorText(err) } }, 'trap forwarder: cannot read the stream; retrying');
        await sleep(Math.min(100 * 2 ** Math.min(this.failures, 5), 2_000));
        if (batch.length > 0) return batch;
      }
    }
    return undefined;
  }

  async ack(batch: QueuedEvent[]): Promise<void> {
    for (let attempt = 0; batch.length > 0 && !this.closed; attempt++) {
      try {
        await this.options.connection.call('XACK', this.options.stream, this.options.group, ...batch.map((event) => event.id));
        return;
      } catch {
        // Unacknowledged, the batch would be delivered again once claimed: keep trying while Redis is away.
        await sleep(Math.min(100 * 2 ** Math.min(attempt, 5), 2_000));
      }
    }
  }

  holding(batch: QueuedEvent[]): void {
    if (batch.length === 0 || this.closed) return;
    const { connection, stream, group, consumer } = this.options;
    connection.call('XCLAIM', stream, group, consumer, 0, ...batch.map((event) => event.id), 'JUSTID').catch(() => {});
  }

  depth(): { events: number; bytes: number } {
    return { events: this.backlog, bytes: 0 };
  }

  close(): void {
    this.closed = true;
    this.options.connection.disconnect();
  }

  /** Creates the group at the stream's end (new events only), unless a replica did already. */
  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    try {
      await this.options.connection.call('XGROUP', 'CREATE', this.options.stream, this.options.group, '$', 'MKSTREAM');
    } catch (err) {
      if (!/BUSYGROUP/.test(errorText(err))) throw err;
    }
    this.groupReady = true;
  }

  /** Entries other consumers left idle for claimIdleMs: theirs to deliver no more. */
  private async claim(count: number): Promise<QueuedEvent[]> {
    const { connection, stream, group, consumer, claimIdleMs } = this.options;
    const reply = await connection.call('XAUTOCLAIM', stream, group, consumer, claimIdleMs, this.claimCursor, 'COUNT', count);
    if (!Array.isArray(reply) || typeof reply[0] !== 'string') throw new Error('unexpected XAUTOCLAIM reply');
    const raw = streamEntries(reply[1]);
    if (!raw) throw new Error('unexpected XAUTOCLAIM reply');
    this.claimCursor = reply[0];
    // A full scan done: wait before the next one.
    if (this.claimCursor === '0-0') this.lastClaimAt = performance.now();
    if (raw.length > 0) this.options.logger.info({ group, events: raw.length }, 'trap forwarder: claimed events another replica left undelivered');
    return this.wanted(raw);
  }

  /** The entries the forwarder wants; the others (filtered out, or not events) are acknowledged at once. */
  private async wanted(raw: RawStreamEntry[]): Promise<QueuedEvent[]> {
    const wanted: QueuedEvent[] = [];
    const skipped: string[] = [];
    for (const item of raw) {
      const entry = entryFromStream(item, this.options.keyCodec, this.options.maxEventBytes);
      if (entry && (!this.options.filter || this.options.filter(entry.key))) wanted.push({ id: entry.id, json: entry.json, size: entry.size });
      else skipped.push(item.id);
    }
    if (skipped.length > 0) await this.options.connection.call('XACK', this.options.stream, this.options.group, ...skipped);
    return wanted;
  }

  /** The group's backlog: entries not yet read by any consumer (lag) plus those read and not acknowledged (pending). */
  private refreshDepth(): void {
    const now = performance.now();
    if (now - this.depthReadAt < DEPTH_REFRESH_MS) return;
    this.depthReadAt = now;
    this.options.connection.call('XINFO', 'GROUPS', this.options.stream).then(
      (reply) => {
        if (!Array.isArray(reply)) return;
        for (const item of reply) {
          const group = flatMap(item);
          if (group.get('name') !== this.options.group) continue;
          const pending = group.get('pending');
          const lag = group.get('lag');
          this.backlog = (typeof pending === 'number' ? pending : 0) + (typeof lag === 'number' ? lag : 0);
        }
      },
      () => {},
    );
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
