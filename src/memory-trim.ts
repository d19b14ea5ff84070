import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { MetricsRegistrar } from './metrics.ts';
import { loadLibc } from './net/libc.ts';

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
 * the old generation. Then glibc's malloc_trim gives back the pages that C++ allocations freed (V8's
 * parser and compiler, the libraries' start-up): glibc keeps freed memory in its arenas until asked, about
 * 10 MB after start. It runs half a second after the service is ready, then whenever an interval passes with
 * the event loop idle and the young generation grown; a trim of the idle process takes a few milliseconds.
 * Its timers never keep the process alive.
 *
 * It needs `gc` (--expose-gc, in npm start and the container); without it, it does nothing.
 */
export function startMemoryTrim(metrics?: MetricsRegistrar): void {
  const gc = (globalThis as { gc?: unknown }).gc as ExposedGc | undefined;
  if (typeof gc !== 'function') return;
  const stats: TrimStats = { trims: 0, returned: { heap: 0, malloc: 0 } };
  if (metrics) registerMetrics(metrics, stats);
  const trim = () => {
    const before = residentBytes();
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const collected = residentBytes();
    mallocTrim();
    stats.trims++;
    stats.returned = { heap: Math.max(0, before - collected), malloc: Math.max(0, collected - residentBytes()) };
  };
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

/** glibc's malloc_trim(0); nothing on another C library or platform. */
function mallocTrim(): void {
  if (process.platform !== 'linux') return;
  try {
    loadLibc().mallocTrim?.(0);
  } catch {
    // Not glibc (musl has no libc.so.6), or koffi cannot load: the V8 collection alone still ran.
  }
}

/** Resident set size, from /proc (process.memoryUsage() would also walk the V8 heap). */
function residentBytes(): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

interface TrimStats {
  trims: number;
  /** What the last trim gave back: by the V8 collection, then by malloc_trim. */
  returned: { heap: number; malloc: number };
}

function registerMetrics(metrics: MetricsRegistrar, stats: TrimStats): void {
  metrics.observe({
    name: 'netprobe_memory_trims_total',
    help: 'Memory trims run (a memory-reducing V8 collection, then malloc_trim): after start, and when idle with a grown young generation',
    labels: [],
    type: 'counter',
    read: () => [{ labels: {}, value: stats.trims }],
  });
  metrics.observe({
    name: 'netprobe_memory_trim_returned_bytes',
    help: 'Resident memory the last memory trim gave back to the system, by step: the V8 collection (heap), then malloc_trim (malloc)',
    labels: ['step'],
    type: 'gauge',
    read: () => [
      { labels: { step: 'heap' }, value: stats.returned.heap },
      { labels: { step: 'malloc' }, value: stats.returned.malloc },
    ],
  });
}
