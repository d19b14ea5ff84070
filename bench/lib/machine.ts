import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryMb: number;
  node: string;
  kernel: string;
  platform: string;
  date: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews every figure. */
  loadAverage: { start: number; end: number };
  /**
   * Share of the CPUs' time the hypervisor gave to other guests during the run (steal, from /proc/stat):
   * on a shared virtual machine every absolute figure shrinks with it, while ratios measured side by side hold.
   */
  stealPercent?: number;
}

/** The CPUs' time counters (all, and stolen), in clock ticks: read at the start and the end of a run. */
export interface CpuTimes {
  total: number;
  steal: number;
}

export function cpuTimes(): CpuTimes | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice; guest time is counted in user already.
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { total, steal: fields[7] ?? 0 };
  } catch {
    return undefined;
  }
}

export function machineInfo(loadAtStart: number, cpuAtStart?: CpuTimes): MachineInfo {
  const cpuAtEnd = cpuTimes();
  const stealPercent =
    cpuAtStart && cpuAtEnd && cpuAtEnd.total > cpuAtStart.total ? (100 * (cpuAtEnd.steal - cpuAtStart.steal)) / (cpuAtEnd.total - cpuAtStart.total) : undefined;
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    kernel: os.release(),
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
    ...(stealPercent === undefined ? {} : { stealPercent: Math.round(stealPercent * 10) / 10 }),
  };
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // not Linux: fall through
  }
  return os.cpus()[0]?.model ?? 'unknown';
}
