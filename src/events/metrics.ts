import { single, type MetricsRegistrar } from '../metrics.ts';
import { BUS_STATES } from './bus-engine.ts';
import type { EventBus, Sequenced } from './trap-bus.ts';

/** The latency of each batch appended to the shared stream (Redis engine), observed as it happens. */
export function appendLatencyMetric(metrics: MetricsRegistrar): (seconds: number) => void {
  const histogram = metrics.histogram({
    name: 'netprobe_trap_bus_append_seconds',
    help: 'Time to append one batch of events to the Redis stream (one round trip)',
    labels: [],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  });
  return (seconds) => histogram.observe({}, seconds);
}

/** The events area's metrics, read at scrape time from the bus and its engine, so they cannot drift. */
export function registerBusMetrics<E extends Sequenced, K>(metrics: MetricsRegistrar, bus: EventBus<E, K>): void {
  const { engine } = bus;
  const gauges: [string, string, () => number][] = [
    ['netprobe_trap_events_buffered', 'Events held in the window (the resume ring buffer)', () => bus.size],
    ['netprobe_trap_buffered_bytes', 'Bytes held by the window (event JSON plus a fixed overhead per event)', () => bus.bufferedBytes],
    ['netprobe_trap_subscribers', 'Open server-sent-event trap subscriptions', () => bus.subscriberCount],
    ['netprobe_trap_queued_bytes', 'Bytes queued for trap stream subscribers, all together', () => bus.queuedBytes],
    ['netprobe_trap_bus_backlog_events', 'Events waiting to be appended to the shared stream (TRAP_BUS=redis)', () => engine.status().backlog.events],
    ['netprobe_trap_bus_backlog_bytes', 'Bytes held by the events waiting to be appended to the shared stream', () => engine.status().backlog.bytes],
  ];
  for (const [name, help, read] of gauges) metrics.observe({ name, help, labels: [], type: 'gauge', read: () => single(read()) });
  metrics.observe({
    name: 'netprobe_trap_bus_state',
    help: 'The trap bus engine and its state: 1 for the current state (up, connecting, down), 0 for the others',
    labels: ['engine', 'state'],
    type: 'gauge',
    read: () => {
      const status = engine.status();
      return BUS_STATES.map((state) => ({ labels: { engine: status.engine, state }, value: status.state === state ? 1 : 0 }));
    },
  });
  const counters: [string, string, () => number][] = [
    ['netprobe_trap_subscriber_overflows_total', 'Times a subscriber queue was full and the subscriber switched to catching up from the window', () => bus.overflows],
    ['netprobe_trap_bus_reconnects_total', 'Times the trap bus got its connection to Redis back after losing it', () => engine.stats().reconnects],
    ['netprobe_traps_suppressed_total', 'Notifications suppressed as duplicates of one seen within TRAP_DEDUP_MS', () => engine.stats().suppressed],
  ];
  for (const [name, help, read] of counters) metrics.observe({ name, help, labels: [], type: 'counter', read: () => single(read()) });
  metrics.observe({
    name: 'netprobe_trap_bus_dropped_total',
    help: 'Events the trap bus dropped, by reason: backlogFull (Redis unreachable and the backlog at its bound), invalidEntry (a stream entry that is not an event)',
    labels: ['reason'],
    type: 'counter',
    read: () => Object.entries(engine.stats().dropped).map(([reason, value]) => ({ labels: { reason }, value })),
  });
}
