import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';

/** `gc` as `--expose-gc` defines it (V8's gc extension), with the options this file uses. */
type ExposedGc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** The first trim, after the service is ready: its first health checks are answered before the collection runs. */
const FIRST_TRIM_DELAY_MS = 500;
/** How often the event loop's use is sampled. */
const INTERVAL_MS = 30_000;
/** Below this share of the last interval spent busy, the process counts as idle. */
const IDLE_UTILIZATION = 0.02;
/** A trim runs only when the young generation holds more than this (bytes, resident). */
const MIN_NEW_SPACE_BYTES = 4 * 1024 * 1024;

/**
 * Gives back the memory V8 keeps after a burst of work. V8 grows the young generation under allocation
 * (parsing the MIB set at start, a trap flood, a load test) up to --max-semi-space-size and keeps it at
 * that size however long the process then idles: 20–30 MB of RSS that an idle service does not use. A
 * memory-reducing collection (the one V8 runs on a low-memory notification) shrinks it again, and compacts
 * the old generation. It runs half a second after the service is ready, then whenever an interval passes
 * with the event loop idle and the young generation grown; a collection of the idle heap takes a few
 * milliseconds. Its timers never keep the process alive.
 *
 * It needs `gc` (--expose-gc, in npm start and the container); without it, it does nothing.
 */
export function startMemoryTrim(): void {
  const gc = (globalThis as { gc?: unknown }).gc as ExposedGc | undefined;
  if (typeof gc !== 'function') return;
  const trim = () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  setTimeout(trim, FIRST_TRIM_DELAY_MS).unref();
  let last = performance.eventLoopUtilization();
  setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    if (utilization < IDLE_UTILIZATION && newSpaceBytes() > MIN_NEW_SPACE_BYTES) trim();
  }, INTERVAL_MS).unref();
}

function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.physical_space_size ?? 0;
}
