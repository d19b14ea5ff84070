import type { MetricsRegistrar, Sample } from '../../metrics.ts';
import type { ForwarderStatus } from './schemas.ts';

/** Per-forwarder metrics, read at scrape time from the same state GET /snmp/traps/forwarders shows. */
export function registerForwarderMetrics(metrics: MetricsRegistrar, statuses: () => ForwarderStatus[]): void {
  const series: [string, string, 'counter' | 'gauge', (status: ForwarderStatus) => number | undefined][] = [
    ['netprobe_trap_forwarder_delivered_total', 'Events a webhook forwarder delivered (2xx), by this replica', 'counter', (s) => s.delivered],
    ['netprobe_trap_forwarder_retries_total', 'Webhook requests sent again after a failure (network error, timeout, 408, 429, 5xx)', 'counter', (s) => s.retried],
    ['netprobe_trap_forwarder_dropped_total', "Events dropped because a forwarder's queue was full", 'counter', (s) => s.dropped],
    ['netprobe_trap_forwarder_dead_lettered_total', 'Events a forwarder gave up: refused by the receiver (4xx other than 408/429) or out of attempts', 'counter', (s) => s.deadLettered],
    ['netprobe_trap_forwarder_queue_events', "Events waiting in a forwarder's queue (redis: the group's backlog)", 'gauge', (s) => s.queue.events],
    ['netprobe_trap_forwarder_queue_bytes', "Bytes of the events waiting in a forwarder's queue (memory)", 'gauge', (s) => s.queue.bytes],
    [
      'netprobe_trap_forwarder_last_success_timestamp_seconds',
      'When a forwarder last delivered, in seconds since the epoch (absent before the first delivery)',
      'gauge',
      (s) => (s.lastSuccessAt === null ? undefined : Date.parse(s.lastSuccessAt) / 1000),
    ],
  ];
  for (const [name, help, type, value] of series) {
    metrics.observe({
      name,
      help,
      labels: ['forwarder'],
      type,
      read: () =>
        statuses().flatMap((status): Sample<'forwarder'>[] => {
          const v = value(status);
          return v === undefined ? [] : [{ labels: { forwarder: status.name }, value: v }];
        }),
    });
  }
}
