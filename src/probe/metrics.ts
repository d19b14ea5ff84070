import type { MetricsRegistrar } from '../metrics.ts';
import type { ProbeProtocol, ProbeState } from './types.ts';

/** The probe area's metrics: probes by protocol and resulting state. */
export function probeMetrics(metrics: MetricsRegistrar) {
  const outcomes = metrics.counter({ name: 'netprobe_probes_total', help: 'Socket probes by protocol and resulting state', labels: ['protocol', 'state'] });
  return {
    record(protocol: ProbeProtocol, state: ProbeState): void {
      outcomes.inc({ protocol, state });
    },
  };
}

export type ProbeMetrics = ReturnType<typeof probeMetrics>;
