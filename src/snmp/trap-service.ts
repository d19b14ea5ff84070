import type dgram from 'node:dgram';
import { AdapterError, isAdapterError } from '../errors.ts';
import { EventBus, SubscriptionRefused, type EventFilter, type Subscription } from '../events/trap-bus.ts';
import { trapFilterFields, type TrapBus, type TrapEvent, type TrapFilterFields, type TrapVersion } from '../events/trap-event.ts';
import { trapFilter } from '../events/trap-filter.ts';
import type { Logger } from '../logger.ts';
import { single, type MetricsRegistrar } from '../metrics.ts';
import { parseCidr } from '../net/cidr.ts';
import type { MibResolver } from './mib.ts';
import { TrapReceiver, type TrapsConfig } from './trap-receiver.ts';

export type TrapSubscription = Subscription<TrapEvent, TrapFilterFields>;
export type TrapEventFilter = EventFilter<TrapFilterFields>;

/** The filters of the trap stream and of /snmp/traps/recent, as given (validated shapes, names unresolved). */
export interface TrapFilterQuery {
  source?: string;
  trapOid?: string;
  version?: TrapVersion;
}

/** Subscribers are told to come back after this long when the stream is full. */
const FULL_RETRY_AFTER_SECONDS = 5;

/**
 * The traps adapter: the UDP receiver, the bus it publishes to, and what the trap routes ask of them
 * (filters, subscriptions, the buffered events). No I/O until start().
 */
export class TrapService {
  readonly bus: TrapBus;
  readonly receiver: TrapReceiver;

  private readonly config: TrapsConfig;
  private readonly deps: { mib: MibResolver; logger: Logger; metrics: MetricsRegistrar };
  constructor(
    config: TrapsConfig,
    deps: { mib: MibResolver; logger: Logger; metrics: MetricsRegistrar },
  ) {
    this.config = config;
    this.deps = deps;
    this.bus = new EventBus({
      bufferSize: config.bufferSize,
      bufferBytes: config.bufferBytes,
      maxEventBytes: config.maxEventBytes,
      subscriberQueue: config.subscriberQueue,
      subscriberQueueBytes: config.subscriberQueueBytes,
      queuesMaxBytes: config.queuesMaxBytes,
      maxSubscribers: config.maxSubscribers,
      keyOf: trapFilterFields,
    });
    this.receiver = new TrapReceiver(config, { bus: this.bus, mib: deps.mib, logger: deps.logger.child({ subsystem: 'traps' }) });
    registerTrapMetrics(deps.metrics, this);
  }

  get heartbeatMs(): number {
    return this.config.heartbeatMs;
  }

  /** Starts receiving on `socket` (bound by main.ts before the target policy is built), or on a socket of its own. */
  start(socket?: dgram.Socket): Promise<{ address: string; port: number; family: string }> {
    return this.receiver.start(socket);
  }

  /** Stops receiving, then ends every subscription (each consumer sees 'closed'). */
  async close(): Promise<void> {
    const closing = this.receiver.close();
    this.bus.close();
    await closing;
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
    return trapFilter({ source, trapOid, version: query.version });
  }

  /** A subscription from now on, or after the event id `after` (resume). UNAVAILABLE when disabled, shutting down or full. */
  subscribe(filter: TrapEventFilter | undefined, after: number | undefined): TrapSubscription {
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

  /** The newest buffered events that pass the filter (newest last), or those after `since` (oldest first). */
  buffered(limit: number, filter: TrapEventFilter | undefined, since?: number) {
    this.ensureEnabled();
    if (since === undefined) return { entries: this.bus.recent(limit, filter), lastId: this.bus.lastId, missed: 0 };
    const read = this.bus.read(since, filter, limit);
    return { entries: read.entries, lastId: this.bus.lastId, missed: read.missed };
  }

  /** UNAVAILABLE when the receiver is disabled (TRAP_ENABLED=false). */
  ensureEnabled(): void {
    if (!this.config.enabled) throw new AdapterError('UNAVAILABLE', 'traps', 'The trap receiver is disabled (TRAP_ENABLED=false).');
  }
}

/** The traps area's metrics, read at scrape time from the receiver's counters and the bus, so they cannot drift. */
function registerTrapMetrics(metrics: MetricsRegistrar, { receiver, bus }: Pick<TrapService, 'receiver' | 'bus'>): void {
  const stats = () => receiver.stats();
  const counters: [string, string, string, () => Record<string, number>][] = [
    ['netprobe_traps_received_total', 'Notifications accepted, by SNMP version', 'version', () => stats().received],
    ['netprobe_traps_received_by_pdu_total', 'Notifications accepted, by PDU type', 'pdu_type', () => stats().receivedByPduType],
    ['netprobe_traps_dropped_total', 'Datagrams dropped on the trap port, by reason', 'reason', () => stats().dropped],
  ];
  for (const [name, help, label, read] of counters) {
    const samples = () => Object.entries(read()).map(([key, value]) => ({ labels: { [label]: key }, value }));
    metrics.observe({ name, help, labels: [label], type: 'counter', read: samples });
  }
  const gauges: [string, string, () => number][] = [
    ['netprobe_trap_events_buffered', 'Events held in the resume ring buffer', () => bus.size],
    ['netprobe_trap_buffered_bytes', 'Bytes held by the resume ring buffer (event JSON plus a fixed overhead per event)', () => bus.bufferedBytes],
    ['netprobe_trap_subscribers', 'Open server-sent-event trap subscriptions', () => bus.subscriberCount],
    ['netprobe_trap_queued_bytes', 'Bytes queued for trap stream subscribers, all together', () => bus.queuedBytes],
  ];
  for (const [name, help, read] of gauges) metrics.observe({ name, help, labels: [], type: 'gauge', read: () => single(read()) });
  metrics.observe({
    name: 'netprobe_trap_subscriber_overflows_total',
    help: 'Times a subscriber queue was full and the subscriber switched to catching up from the ring buffer',
    labels: [],
    type: 'counter',
    read: () => single(bus.overflows),
  });
}
