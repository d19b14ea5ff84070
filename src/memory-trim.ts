import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { MetricsRegistrar } from './metrics.ts';
import { loadLibc, MADV_DONTNEED } from './net/libc.ts';

/** `gc` as `--expose-gc` defines it (V8's gc extension), with the options this file uses. */
type ExposedGc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** The first trim, after the service is ready: its first health checks are answered before the collection runs. */
const FIRST_TRIM_DELAY_MS = 500;
/** How often the event loop's use is sampled. */
const INTERVAL_MS = 30_000;
/** Below this share of the last interval spent busy, the process counts as idle. */
const IDLE_UTILIZATION = 0.02;
/** An idle trim runs when the young generation holds more than this (bytes, resident)… */
const MIN_NEW_SPACE_BYTES = 4 * 1024 * 1024;
/** …or when RSS has grown by more than this since the last trim (bytes). */
const MIN_RSS_GROWTH_BYTES = 16 * 1024 * 1024;

/**
 * Gives back the memory V8 keeps after a burst of work. V8 grows the young generation under allocation
 * (parsing the MIB set at start, a trap flood, a load test) up to --max-semi-space-size and keeps it at
 * that size however long the process then idles: 20–30 MB of RSS that an idle service does not use. A
 * memory-reducing collection (the one V8 runs on a low-memory notification) shrinks it again, and compacts
 * the old generation. Then glibc's malloc_trim gives back the pages that C++ allocations freed (V8's
 * parser and compiler, the libraries' start-up): glibc keeps freed memory in its arenas until asked, about
 * 10 MB after start. Last, the pages of the node binary that only start-up used leave the process's page
 * tables (releaseFilePages): about 35 MB after start. It runs half a second after the service is ready, then
 * whenever an interval passes with the event loop idle and the young generation or RSS grown; a trim of the
 * idle process takes a few milliseconds.
 * Its timers never keep the process alive.
 *
 * It needs `gc` (--expose-gc, in npm start and the container); without it, it does nothing.
 */
export function startMemoryTrim(metrics?: MetricsRegistrar): void {
  const gc = (globalThis as { gc?: unknown }).gc as ExposedGc | undefined;
  if (typeof gc !== 'function') return;
  const stats: TrimStats = { trims: 0, returned: { heap: 0, malloc: 0, file: 0 } };
  if (metrics) registerMetrics(metrics, stats);
  let residentAfterLastTrim = 0;
  const trim = () => {
    const before = residentBytes();
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const collected = residentBytes();
    mallocTrim();
    const trimmed = residentBytes();
    releaseFilePages();
    residentAfterLastTrim = residentBytes();
    stats.trims++;
    stats.returned = {
      heap: Math.max(0, before - collected),
      malloc: Math.max(0, collected - trimmed),
      file: Math.max(0, trimmed - residentAfterLastTrim),
    };
  };
  setTimeout(trim, FIRST_TRIM_DELAY_MS).unref();
  let last = performance.eventLoopUtilization();
  setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    if (shouldTrim({ utilization, newSpaceBytes: newSpaceBytes(), residentBytes: residentBytes(), residentAfterLastTrim })) trim();
  }, INTERVAL_MS).unref();
}

export interface TrimCheck {
  /** The share of the last interval the event loop was busy (0–1). */
  utilization: number;
  newSpaceBytes: number;
  residentBytes: number;
  /** RSS right after the last trim (0 before the first). */
  residentAfterLastTrim: number;
}

/**
 * Whether an idle check trims: only when the event loop was idle, and only when there is something to give
 * back. A grown young generation is one sign; RSS grown since the last trim is the other, because what a
 * burst freed in glibc's arenas stays resident until malloc_trim even when the young generation is small
 * again (a heap snapshot's collection shrinks it: 218 MB after 50 000 requests and a snapshot, 116 MB once
 * malloc_trim ran). Released file pages that requests bring back count as growth too, and go again.
 */
export function shouldTrim(check: TrimCheck): boolean {
  if (check.utilization >= IDLE_UTILIZATION) return false;
  return check.newSpaceBytes > MIN_NEW_SPACE_BYTES || check.residentBytes - check.residentAfterLastTrim > MIN_RSS_GROWTH_BYTES;
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

/** A mapping of a file: its address range and how much of it is resident. */
export interface FileMapping {
  start: number;
  end: number;
  residentBytes: number;
}

/**
 * The mappings in /proc/self/smaps whose pages can be dropped from the page tables with nothing lost: private,
 * not writable, backed by a file, with no page of their own (Anonymous: 0; a page the process wrote, such
 * as one the dynamic linker relocated before making it read-only, is anonymous and its mapping is skipped),
 * and resident at all. Their content is the file's, so a later access reads it again from the page cache.
 */
export function droppableFileMappings(smaps: string): FileMapping[] {
  const mappings: FileMapping[] = [];
  for (const block of smaps.split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (r-[-x]p) [0-9a-f]+ \S+ \d+ +(\/.*)$/m.exec(block);
    if (!header || header.index !== 0) continue;
    const anonymousKb = /^Anonymous:\s+(\d+) kB/m.exec(block)?.[1];
    const residentKb = Number(/^Rss:\s+(\d+) kB/m.exec(block)?.[1] ?? 0);
    if (anonymousKb !== '0' || residentKb === 0) continue;
    mappings.push({ start: parseInt(header[1]!, 16), end: parseInt(header[2]!, 16), residentBytes: residentKb * 1024 });
  }
  return mappings;
}

/**
 * Takes out of the page tables the pages of the node binary and its libraries that start-up touched and an
 * idle process does not use: the module loader and the compilers run over every module at start, ICU data.
 * They stay in the page cache (shared with every other process of the same binary), so what a request needs
 * again comes back with a minor fault, no disk read. Linux only.
 */
export function releaseFilePages(): void {
  if (process.platform !== 'linux') return;
  try {
    const { madvise } = loadLibc();
    for (const mapping of droppableFileMappings(readFileSync('/proc/self/smaps', 'latin1'))) {
      madvise(mapping.start, mapping.end - mapping.start, MADV_DONTNEED);
    }
  } catch {
    // No /proc, or koffi cannot load: the other steps still ran.
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
  /** What the last trim gave back: by the V8 collection, by malloc_trim, then by releasing file pages. */
  returned: { heap: number; malloc: number; file: number };
}

function registerMetrics(metrics: MetricsRegistrar, stats: TrimStats): void {
  metrics.observe({
    name: 'netprobe_memory_trims_total',
    help: 'Memory trims run (a memory-reducing V8 collection, malloc_trim, then unused file pages unmapped): after start, and when idle with a grown young generation or RSS',
    labels: [],
    type: 'counter',
    read: () => [{ labels: {}, value: stats.trims }],
  });
  metrics.observe({
    name: 'netprobe_memory_trim_returned_bytes',
    help: 'Resident memory the last memory trim gave back, by step: the V8 collection (heap), malloc_trim (malloc), the node binary\'s and libraries\' pages unmapped (file; they stay in the page cache)',
    labels: ['step'],
    type: 'gauge',
    read: () => [
      { labels: { step: 'heap' }, value: stats.returned.heap },
      { labels: { step: 'malloc' }, value: stats.returned.malloc },
      { labels: { step: 'file' }, value: stats.returned.file },
    ],
  });
}
