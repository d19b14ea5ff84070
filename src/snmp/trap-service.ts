import type dgram from 'node:dgram';
import { AdapterError, isAdapterError } from '../errors.ts';
import type { BusEngine, BusEntry, BusStatus } from '../events/bus-engine.ts';
import { registerBusMetrics } from '../events/metrics.ts';
import { parseStreamId } from '../events/stream-id.ts';
import { EventBus, SubscriptionRefused, type EventFilter, type Subscription } from '../events/trap-bus.ts';
import { trapFilterFields, type TrapBus, type TrapEvent, type TrapFilterFields, type TrapVersion } from '../events/trap-event.ts';
import { trapFilter } from '../events/trap-filter.ts';
import type { Logger } from '../logger.ts';
import type { MetricsRegistrar } from '../metrics.ts';
import { parseCidr } from '../net/cidr.ts';
import type { MibResolver } from './mib.ts';
import { TrapReceiver, type TrapsConfig } from './trap-receiver.ts';

export type TrapSubscription = Subscription<TrapEvent, TrapFilterFields>;
export type TrapEventFilter = EventFilter<TrapFilterFields>;

/** The filters of the trap stream and of /snmp/traps/recent, as given (validated shapes, names unresolved). */
export interface TrapFilterQuery {
  source?: string;
  origin?: string;
  trapOid?: string;
  version?: TrapVersion;
}

/** Subscribers are told to come back after this long when the stream is full. */
const FULL_RETRY_AFTER_SECONDS = 5;
/** Pollers of /recent are told to come back after this long when the shared stream cannot be read. */
const STREAM_RETRY_AFTER_SECONDS = 2;

export interface BufferedEvents {
  entries: BusEntry<TrapFilterFields>[];
  /** Id of the newest event (null before the first). */
  lastId: string | null;
  /** With `since`: events after it no longer held (null: unknown); 0 when none. */
  missed: number | null;
}

/**
 * The traps adapter: the UDP receiver, the bus it publishes to, and what the trap routes ask of them
 * (filters, subscriptions, the buffered events). No I/O until start().
 */
export class TrapService {
  readonly bus: TrapBus;
  readonly receiver: TrapReceiver;

  private readonly config: TrapsConfig;
  private readonly deps: { mib: MibResolver; logger: Logger; metrics: MetricsRegistrar; engine: BusEngine<TrapFilterFields> };
  constructor(
    config: TrapsConfig,
    deps: { mib: MibResolver; logger: Logger; metrics: MetricsRegistrar; engine: BusEngine<TrapFilterFields> },
  ) {
    this.config = config;
    this.deps = deps;
    this.bus = new EventBus(
      {
      bufferSize: config.bufferSize,
      bufferBytes: config.bufferBytes,
      maxEventBytes: config.maxEventBytes,
      subscriberQueue: config.subscriberQueue,
      subscriberQueueBytes: config.subscriberQueueBytes,
      queuesMaxBytes: config.queuesMaxBytes,
      maxSubscribers: config.maxSubscribers,
      keyOf: trapFilterFields,
      },
      deps.engine,
    );
    this.receiver = new TrapReceiver(config, { bus: this.bus, mib: deps.mib, logger: deps.logger.child({ subsystem: 'traps' }) });
    registerTrapMetrics(deps.metrics, this.receiver);
    registerBusMetrics(deps.metrics, this.bus);
  }

  get heartbeatMs(): number {
    return this.config.heartbeatMs;
  }

  /** Starts the bus engine (the Redis stream reader), then receiving on `socket` (bound by main.ts before the target policy is built), or on a socket of its own. */
  start(socket?: dgram.Socket): Promise<{ address: string; port: number; family: string }> {
    void this.follow();
    return this.receiver.start(socket);
  }

  /**
   * Starts the bus engine (once; a cluster worker, whose primary receives the traps, starts only this).
   * Resolves once the engine reads the shared stream from where it ends (at once without one).
   */
  follow(): Promise<void> {
    return this.bus.engine.start?.() ?? Promise.resolve();
  }

  /** Stops receiving, ends every subscription (each consumer sees 'closed'), then the engine (appending what it still can). */
  async close(): Promise<void> {
    const closing = this.receiver.close();
    this.bus.close();
    await closing;
    await this.bus.engine.close();
  }

  /** The bus engine and its state, for /readyz. */
  busStatus(): BusStatus {
    return this.bus.engine.status();
  }

  /** The filter a query asks for; a trapOid name no loaded MIB knows is INVALID_INPUT. */
  filterFor(query: TrapFilterQuery): TrapEventFilter | undefined {
    let trapOid: string | undefined;
    if (query.trapOid !== undefined) {
      try {
        trapOid = this.deps.mib.toNumeric(query.trapOid);
      } catch (err) {
        if (!isAdapterError(err)) throw err;
        throw new AdapterError('INVALID_INPUT', 'traps', `trapOid: ${err.message}`, { errors: [{ path: 'query.trapOid', message: err.message }] });
      }
    }
    const source = query.source === undefined ? undefined : parseCidr(query.source);
    const origin = query.origin === undefined ? undefined : parseCidr(query.origin);
    return trapFilter({ source, origin, trapOid, version: query.version });
  }

  /** A subscription from now on, or after the event id `after` (resume). UNAVAILABLE when disabled, shutting down or full. */
  subscribe(filter: TrapEventFilter | undefined, after: string | undefined): TrapSubscription {
    this.ensureEnabled();
    try {
      return this.bus.subscribe({ filter, after });
    } catch (err) {
      if (!(err instanceof SubscriptionRefused)) throw err;
      if (err.reason === 'closed') throw new AdapterError('UNAVAILABLE', 'traps', 'The trap stream is shutting down.');
      const limit = this.config.maxSubscribers;
      throw new AdapterError('UNAVAILABLE', 'traps', `Too many trap stream subscribers (limit ${limit}).`, { maxSubscribers: limit }, { retryAfterSeconds: FULL_RETRY_AFTER_SECONDS });
    }
  }

  /**
   * The newest events that pass the filter (newest last), or those after `since` (oldest first): from the
   * shared stream with TRAP_BUS=redis (UNAVAILABLE while it cannot be read), else from the window.
   */
  async buffered(limit: number, filter: TrapEventFilter | undefined, since?: string): Promise<BufferedEvents> {
    this.ensureEnabled();
    const sinceId = since === undefined ? undefined : parseStreamId(since);
    const { query } = this.bus.engine;
    if (query) {
      try {
        return await query({ limit, filter, since: sinceId, scanLimit: this.config.bufferSize, maxBytes: this.config.bufferBytes });
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        throw new AdapterError('UNAVAILABLE', 'traps', `The shared trap stream cannot be read now (${detail}).`, {}, { retryAfterSeconds: STREAM_RETRY_AFTER_SECONDS });
      }
    }
    const lastId = this.bus.lastId ?? null;
    if (since === undefined) return { entries: this.bus.recent(limit, filter), lastId, missed: 0 };
    const location = sinceId === undefined ? ({ kind: 'unknown' } as const) : this.bus.engine.locate(sinceId);
    // An id this process has not received yet (a cluster worker a little behind the primary): nothing after it yet.
    if (location.kind === 'ahead') return { entries: [], lastId, missed: 0 };
    const after = location.kind === 'seq' ? location.seq : this.bus.oldestSeq - 1;
    const read = this.bus.read(after, filter, limit);
    return { entries: read.entries, lastId, missed: location.kind === 'seq' ? read.missed : null };
  }

  /** UNAVAILABLE when the receiver is disabled (TRAP_ENABLED=false). */
  ensureEnabled(): void {
    if (!this.config.enabled) throw new AdapterError('UNAVAILABLE', 'traps', 'The trap receiver is disabled (TRAP_ENABLED=false).');
  }
}

/** The receiver's metrics, read at scrape time from its counters, so they cannot drift. */
function registerTrapMetrics(metrics: MetricsRegistrar, receiver: TrapReceiver): void {
  const stats = () => receiver.stats();
  const counters: [string, string, string, () => Record<string, number>][] = [
    ['netprobe_traps_received_total', 'Notifications accepted, by SNMP version', 'version', () => stats().received],
    ['netprobe_traps_received_by_pdu_total', 'Notifications accepted, by PDU type', 'pdu_type', () => stats().receivedByPduType],
    ['netprobe_traps_dropped_total', 'Datagrams dropped on the trap port, by reason', 'reason', () => stats().dropped],
    ['netprobe_trap_datagrams_decoded_total', 'Datagrams on the trap port, by decoder: netprobe (v1/v2c Trap and SNMPv2-Trap PDUs) or library (everything else)', 'decoder', () => stats().decodedBy],
  ];
  for (const [name, help, label, read] of counters) {
    const samples = () => Object.entries(read()).map(([key, value]) => ({ labels: { [label]: key }, value }));
    metrics.observe({ name, help, labels: [label], type: 'counter', read: samples });
  }
}
