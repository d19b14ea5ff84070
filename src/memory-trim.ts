import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';

/** `gc` as `--expose-gc` defines it (V8's gc extension), with the options this file uses. */
type ExposedGc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

export interface MemoryTrimOptions {
  /** How often the event loop's use is sampled. */
  intervalMs: number;
  /** Below this share of the last interval spent busy, the process counts as idle. */
  idleUtilization: number;
  /** A trim runs only when the young generation holds more than this (bytes, resident). */
  minNewSpaceBytes: number;
}

const FIRST_TRIM_DELAY_MS = 500;

export const MEMORY_TRIM_DEFAULTS: MemoryTrimOptions = { intervalMs: 30_000, idleUtilization: 0.02, minNewSpaceBytes: 4 * 1024 * 1024 };

/**
 * Gives back the memory V8 keeps after a burst of work. V8 grows the young generation under allocation
 * (parsing the MIB set at start, a trap flood, a load test) up to --max-semi-space-size and keeps it at
 * that size however long the process then idles: 20–30 MB of RSS that an idle service does not use. A
 * memory-reducing collection (the one V8 runs on a low-memory notification) shrinks it again, and compacts
 * the old generation. It runs half a second after the service is ready, then whenever an interval passes with the event
 * loop idle and the young generation grown; a collection of the idle heap takes a few milliseconds.
 *
 * It needs `gc` (--expose-gc, in npm start and the container); without it, it does nothing.
 */
export function startMemoryTrim(options: MemoryTrimOptions = MEMORY_TRIM_DEFAULTS): { trimNow(): boolean; stop(): void } {
  const gc = (globalThis as { gc?: unknown }).gc as ExposedGc | undefined;
  const trimNow = (): boolean => {
    if (typeof gc !== 'function') return false;
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    return true;
  };
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    if (utilization < options.idleUtilization && newSpaceBytes() > options.minNewSpaceBytes) trimNow();
  }, options.intervalMs);
  timer.unref();
  // Shortly after start rather than at once: the first health checks are answered before the collection runs.
  const first = setTimeout(trimNow, FIRST_TRIM_DELAY_MS);
  first.unref();
  return {
    trimNow,
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}

function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.physical_space_size ?? 0;
}
