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
}

export function machineInfo(loadAtStart: number): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    kernel: os.release(),
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
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
