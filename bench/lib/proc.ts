import { readFileSync, writeFileSync } from 'node:fs';

export interface MemorySample {
  rssMb: number;
  /** Of RSS, the pages mapped from files (the node binary, shared libraries), shared with the page cache. */
  rssFileMb: number;
  /** Peak resident set size since the process started (VmHWM). */
  hwmMb: number;
}

/** Reads VmRSS, RssFile and VmHWM of a Linux process from /proc. */
export function readMemory(pid: number): MemorySample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMb: field(status, 'VmRSS'), rssFileMb: field(status, 'RssFile'), hwmMb: field(status, 'VmHWM') };
}

function field(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${name} in /proc status`);
  return Number(match[1]) / 1024;
}

/** Samples a process's RSS every intervalMs until stopped; reports the highest RSS seen. */
export function sampleRss(pid: number, intervalMs = 20): { stop(): { peakRssMb: number; samples: number } } {
  let peak = 0;
  let samples = 0;
  const take = () => {
    try {
      peak = Math.max(peak, readMemory(pid).rssMb);
      samples++;
    } catch {
      // the process is gone; the caller notices on its own
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakRssMb: peak, samples };
    },
  };
}

/**
 * Resets VmHWM to the current RSS (Linux `clear_refs` value 5), so a later VmHWM read is the peak
 * reached during the measured interval only. Returns false where the kernel does not allow it.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time a process has used so far, user and system (utime + stime from /proc/<pid>/stat), in seconds. */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** UDP datagrams the kernel dropped because a socket's receive buffer was full (/proc/net/snmp, every socket). */
export function udpReceiveBufferErrors(): number {
  try {
    const [names, values] = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('Udp:'))
      .map((line) => line.split(/\s+/));
    return Number(values[names.indexOf('RcvbufErrors')]);
  } catch {
    return Number.NaN;
  }
}
