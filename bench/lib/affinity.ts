import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';

/**
 * CPU affinity for the per-core scenarios: `taskset -a -p -c <cpus> <pid>` (every thread of the process,
 * so a Go runtime's or Node's helper threads too).
 */
function pinToCpus(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

/**
 * Every CPU of the machine, as taskset spells the list: from os.cpus(), not availableParallelism(), which
 * follows this process's own affinity and so reads 1 while it is pinned (and children inherit the pin).
 */
export function allCpus(): string {
  return `0-${cpus().length - 1}`;
}

/** Whether the per-core split can run: two CPUs at least (the measured one, and one for the load and the agent), and taskset. */
export function canPinPerCore(): boolean {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Per core: each measured process alone on this CPU; the load generator (this process) and the agents on the other. */
export const MEASURED_CPU = '1';
export const LOAD_CPU = '0';

/**
 * Pins the measured processes to MEASURED_CPU, and this process and the `load` ones to LOAD_CPU. Returns how to
 * give this process and the `load` ones every CPU again (the measured ones are expected to stop).
 */
export function pinPerCore({ measured, load }: { measured: number[]; load: number[] }): () => void {
  for (const pid of [process.pid, ...load]) pinToCpus(pid, LOAD_CPU);
  for (const pid of measured) pinToCpus(pid, MEASURED_CPU);
  return () => {
    for (const pid of [process.pid, ...load]) pinToCpus(pid, allCpus());
  };
}

