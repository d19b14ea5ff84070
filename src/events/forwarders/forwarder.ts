import type { Logger } from '../../logger.ts';
import { backoffMs, WebhookClient, type CheckedLookup, type DeliveryResult } from './delivery.ts';
import type { ForwarderQueue, QueuedEvent } from './queue.ts';
import { shownUrl, type ForwarderConfig, type ForwarderStatus } from './schemas.ts';

/** How often a replica renews its claim on the batch it is delivering (a fraction of claimIdleMs). */
const HOLD_FRACTION = 3;

/** Counters of one forwarder, as /snmp/traps/forwarders and the metrics show them. */
export interface ForwarderCounters {
  delivered: number;
  retried: number;
  deadLettered: number;
}

/**
 * One webhook forwarder: takes batches from its queue in order, one at a time, and POSTs each until the
 * receiver acknowledges it (2xx) or refuses it for good (4xx other than 408/429: dead-lettered), retrying
 * with exponential backoff and full jitter, or after the receiver's Retry-After (both capped at
 * retry.maxMs). The body is the event's JSON (batch.maxEvents 1) or a JSON array of events; the
 * Idempotency-Key header is the event id, or `<first id>..<last id>` for an array.
 */
export class Forwarder {
  readonly counters: ForwarderCounters = { delivered: 0, retried: 0, deadLettered: 0 };
  private lastSuccessAt: string | null = null;
  private lastError: ForwarderStatus['lastError'] = null;
  private inFlight = 0;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private readonly client: WebhookClient;
  private readonly url: URL;
  readonly config: ForwarderConfig;
  private readonly queue: ForwarderQueue;
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(config: ForwarderConfig, queue: ForwarderQueue, lookup: CheckedLookup, logger: Logger, random: () => number = Math.random) {
    this.config = config;
    this.queue = queue;
    this.logger = logger;
    this.random = random;
    this.url = new URL(config.url);
    this.client = new WebhookClient(this.url, lookup);
  }

  get name(): string {
    return this.config.name;
  }

  /** The host and port requests go to, for the check at start. */
  get target(): { host: string; port: number } {
    return { host: this.client.host, port: this.client.port };
  }

  start(): void {
    if (this.running) return;
    this.queue.start();
    this.running = this.run();
  }

  /** Stops taking batches and abandons the one in flight (memory: lost; redis: left for another replica to claim). */
  async close(): Promise<void> {
    this.abort.abort();
    this.queue.close();
    await this.running;
    this.client.close();
  }

  status(): ForwarderStatus {
    const depth = this.queue.depth();
    return {
      name: this.config.name,
      url: shownUrl(this.config.url),
      engine: this.queue.engine,
      filter: this.config.filter,
      signed: this.config.secret !== undefined,
      batchMaxEvents: this.config.batch.maxEvents,
      queue: { events: depth.events, bytes: depth.bytes, inFlight: this.inFlight, maxEvents: this.config.queue.maxEvents, maxBytes: this.config.queue.maxBytes },
      delivered: this.counters.delivered,
      retried: this.counters.retried,
      dropped: this.queue.dropped,
      deadLettered: this.counters.deadLettered,
      lastSuccessAt: this.lastSuccessAt,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    const { batch } = this.config;
    for (;;) {
      const events = await this.queue.next(batch.maxEvents, batch.maxWaitMs);
      if (!events || this.abort.signal.aborted) return;
      if (events.length === 0) continue;
      this.inFlight = events.length;
      const hold = setInterval(() => this.queue.holding(events), Math.max(250, this.config.claimIdleMs / HOLD_FRACTION));
      try {
        const done = await this.deliver(events);
        if (!done) return;
        await this.queue.ack(events);
      } finally {
        clearInterval(hold);
        this.inFlight = 0;
      }
    }
  }

  /** Delivers a batch, retrying as configured; false when shutting down before it was done. */
  private async deliver(events: QueuedEvent[]): Promise<boolean> {
    const { retry, batch } = this.config;
    const body = batch.maxEvents > 1 ? `[${events.map((event) => event.json).join(',')}]` : events[0].json;
    const idempotencyKey = events.length === 1 ? events[0].id : `${events[0].id}..${events[events.length - 1].id}`;
    for (let attempt = 1; ; attempt++) {
      const result = await this.client.post(
        {
          url: this.url,
          body,
          idempotencyKey,
          headers: this.config.headers,
          secret: this.config.secret,
          timeoutMs: this.config.timeoutMs,
          connectTimeoutMs: this.config.connectTimeoutMs,
        },
        this.abort.signal,
      );
      if (this.abort.signal.aborted) return false;
      if (result.kind === 'ok') {
        this.counters.delivered += events.length;
        this.lastSuccessAt = new Date().toISOString();
        return true;
      }
      this.failed(result);
      if (result.kind === 'reject' || (retry.maxAttempts > 0 && attempt >= retry.maxAttempts)) {
        this.counters.deadLettered += events.length;
        this.logger.warn({ forwarder: this.name, events: events.length, ids: idempotencyKey, error: result.error }, 'trap forwarder: events dead-lettered');
        return true;
      }
      const delay = Math.min(retry.maxMs, result.retryAfterMs ?? backoffMs(attempt, retry.initialMs, retry.maxMs, this.random));
      if (!(await this.pause(delay))) return false;
      this.counters.retried++;
    }
  }

  private failed(result: Exclude<DeliveryResult, { kind: 'ok' }>): void {
    this.lastError = { at: new Date().toISOString(), message: result.error, ...(result.status === undefined ? {} : { status: result.status }) };
    this.logger.debug({ forwarder: this.name, error: result.error }, 'trap forwarder: delivery failed');
  }

  /** Waits ms, or until shutdown (false). */
  private pause(ms: number): Promise<boolean> {
    const { signal } = this.abort;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
