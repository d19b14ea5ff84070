import type { MetricsRegistrar } from '../metrics.ts';

export type SnmpOperation = 'get' | 'getnext' | 'bulk' | 'walk' | 'table' | 'set';

/** The SNMP area's metrics: operations by outcome, and their latency. */
export function snmpMetrics(metrics: MetricsRegistrar) {
  const operations = metrics.counter({
    name: 'netprobe_snmp_requests_total',
    help: 'SNMP operations by operation and outcome (ok, or the error code: timeout, auth, agent_error, ...)',
    labels: ['operation', 'outcome'],
  });
  const latency = metrics.histogram({
    name: 'netprobe_snmp_request_duration_seconds',
    help: 'SNMP operation latency by operation (a walk: from its first request to its end)',
    labels: ['operation'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  });
  return {
    record(operation: SnmpOperation, outcome: string, elapsedMs: number): void {
      operations.inc({ operation, outcome });
      latency.observe({ operation }, elapsedMs / 1000);
    },
  };
}

export type SnmpMetrics = ReturnType<typeof snmpMetrics>;
