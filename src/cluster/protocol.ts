import type { EntryBatch } from '../events/follower-engine.ts';
import type { TrapFilterFields } from '../events/trap-event.ts';
import type { MetricsSnapshot } from '../metrics.ts';
import type { SubsystemStatus } from '../readiness.ts';
import type { MibChange } from '../snmp/mib.ts';

/**
 * The messages between the primary and its HTTP workers (WORKERS > 1), over node:cluster's IPC channel
 * with the `advanced` serialization (structured clone: strings are not escaped again).
 *
 * A worker listens, builds its app, and says `hello`; once the primary receives traps it answers with
 * the traps subsystem's state, the bus's window (memory mode) and `welcome`; the worker then serves
 * and says `serving`.
 */
export type ToWorker =
  /** Entries of the primary's memory bus (TRAP_BUS=memory). */
  | { type: 'netprobe:traps'; batch: EntryBatch<TrapFilterFields> }
  /** The trap receiver's state in the primary, for /readyz. */
  | { type: 'netprobe:readiness'; traps: SubsystemStatus }
  /** The primary has sent what the worker needs to serve. */
  | { type: 'netprobe:welcome' }
  /** An upload or deletion of MIB modules made in another worker. */
  | { type: 'netprobe:mibs'; change: MibChange }
  /** Send your metrics (reply: metrics-snapshot). */
  | { type: 'netprobe:metrics-collect'; id: number }
  /** Every process's metrics, aggregated (the answer to metrics-request). */
  | { type: 'netprobe:metrics'; id: number; text: string };

export type ToPrimary =
  | { type: 'netprobe:hello' }
  | { type: 'netprobe:serving' }
  | { type: 'netprobe:metrics-request'; id: number }
  | { type: 'netprobe:metrics-snapshot'; id: number; metrics: MetricsSnapshot }
  | { type: 'netprobe:mibs'; change: MibChange };

/** Environment the primary gives its workers: that they are its workers (not a process manager's cluster workers). */
export const WORKER_ENV = 'NETPROBE_CLUSTER_WORKER';
/** Environment the primary gives its workers: the trap port it bound (their target policy denies it on loopback). */
export const WORKER_TRAP_PORT_ENV = 'NETPROBE_PRIMARY_TRAP_PORT';

export function isMessage<T extends { type: string }>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string' && (message as { type: string }).type.startsWith('netprobe:');
}
