import { AdapterError } from '../errors.ts';
import { TYPE_TAGS, type WireVarbind } from './varbind.ts';
import { compareOids, inSubtree, type WalkStopReason } from './walk.ts';

/** SNMP_WALK_MAX_PARALLEL: the most `parallel` a walk may ask for, and the walk requests in flight to one agent. */
export const DEFAULT_WALK_MAX_PARALLEL = 8;
/** Split points at most: any subset of the MIB's nodes splits correctly, more only costs bookkeeping. */
export const MAX_SPLIT_POINTS = 4096;
/** Varbinds a streamed (NDJSON) parallel walk may hold that the caller has not read yet. */
export const PARALLEL_WALK_AHEAD_VARBINDS = 4096;

/**
 * Where a walk splits: at every node the loaded MIBs know under the root (its branches, tables, columns), or
 * an evenly spread subset of them. The MIB's node counts say little of where an agent's data is, so the split
 * is as fine as the MIB allows: a worker walks on through the ranges a reply crosses, and a range with nothing
 * in it costs nothing. (Splitting at a few branches left the host and enterprise subtrees, most of snmpd's
 * data, in one range each.) `known`: the node OIDs strictly under the root, in OID order.
 */
export function splitPoints(known: readonly string[], max = MAX_SPLIT_POINTS): readonly string[] {
  if (known.length <= max) return known;
  const step = known.length / max;
  return Array.from({ length: max }, (_, i) => known[Math.floor(i * step)]);
}

/** One GETBULK (or GETNEXT) after `after`; each range has its own, which keeps its own repetitions. */
export type BatchFetch = (after: string) => Promise<WireVarbind[] | 'endOfMibView'>;

export interface RangeWalkOptions {
  root: string;
  /** Split points inside the subtree, in OID order (splitPoints): ranges (root, b_1], (b_1, b_2], …, (b_k, end]. */
  points: readonly string[];
  /** Ranges walked at once. */
  parallel: number;
  /** maxVarbinds, bounded by the server's. */
  limit: number;
  /** The caller collects the whole walk (JSON), whose `limit` varbinds are reserved: ranges ahead may fill that much. */
  buffered: boolean;
  fetcher: () => BatchFetch;
  signal?: AbortSignal;
}

export interface RangeWalkEnd {
  stopReason: WalkStopReason;
  nonIncreasingOid?: { previous: string; received: string };
  /** Varbinds given out. */
  count: number;
}

/** How a range ended: past its upper point (the next range goes on), at the end of the walk, or failed. */
type RangeEnd =
  | { kind: 'next' }
  | { kind: 'end'; stopReason: 'endOfMibView' | 'endOfSubtree' }
  | { kind: 'nonIncreasing'; previous: string; received: string }
  | { kind: 'error'; error: unknown };

/** The varbinds of one reply that fall in the range, and the reply's varbind right after them, if any. */
interface Delivery {
  varbinds: WireVarbind[];
  next: WireVarbind | undefined;
}

interface Range {
  after: string;
  /** The last OID the range takes; undefined for the last range. */
  upTo: string | undefined;
  queue: Delivery[];
  /** A worker has walked, or walks, this range. */
  claimed: boolean;
  end: RangeEnd | undefined;
}

/**
 * A walk of `root`'s subtree in ranges, `parallel` workers at a time, each one request in flight. The varbinds
 * come out in range order. A worker walks on from range to range while the next one is free (the reply that
 * crosses a split point already holds the next range's first varbinds); when it reaches a range another worker
 * took, it starts afresh in the middle of the largest run of ranges nobody took yet. Every range end is
 * decided with the serial walk's rules, varbind by varbind: an endOfMibView, an OID out of the subtree or a
 * non-increasing one ends the walk where the serial walk would end it; an error fails it only if the walk
 * reaches its range; maxVarbinds looks at the varbind after the last one taken in the same reply. For an agent
 * whose GETNEXT answer depends only on the OID asked after, the output is the serial walk's.
 *
 * Memory: varbinds not yet read by the caller are bounded by what is left of `limit` and, when streamed, by
 * PARALLEL_WALK_AHEAD_VARBINDS; a worker waits before its next request while that bound is reached, except
 * in the range being read once the caller has read all of it.
 */
export async function* walkInRanges(options: RangeWalkOptions): AsyncGenerator<WireVarbind[], RangeWalkEnd> {
  const { root, points, limit, buffered } = options;
  const ranges: Range[] = [root, ...points].map((after, i) => ({ after, upTo: points[i], queue: [], claimed: false, end: undefined }));
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let reading = 0;
  let given = 0;
  let queued = 0;
  let wakeReader: (() => void) | undefined;
  let wakeWorkers: (() => void)[] = [];
  const wakeAll = () => {
    const waiting = wakeWorkers;
    wakeWorkers = [];
    for (const wake of waiting) wake();
  };
  const mayFetch = (range: Range) => {
    if (range === ranges[reading] && range.queue.length === 0) return true;
    const room = limit - given;
    return queued < (buffered ? room : Math.min(room, PARALLEL_WALK_AHEAD_VARBINDS));
  };
  const deliver = (range: Range, varbinds: WireVarbind[], next: WireVarbind | undefined) => {
    if (varbinds.length === 0) return;
    range.queue.push({ varbinds, next });
    queued += varbinds.length;
    wakeReader?.();
  };
  const settle = (range: Range, end: RangeEnd) => {
    range.end = end;
    wakeReader?.();
  };

  const walkFrom = async (index: number) => {
    let range = ranges[index];
    range.claimed = true;
    const fetch = options.fetcher();
    let previous = range.after;
    try {
      for (;;) {
        while (!mayFetch(range) && !signal.aborted) await new Promise<void>((wake) => wakeWorkers.push(wake));
        if (signal.aborted) return;
        const batch = await fetch(previous);
        if (signal.aborted) return;
        if (batch === 'endOfMibView') return settle(range, { kind: 'end', stopReason: 'endOfMibView' });
        if (batch.length === 0) throw new AdapterError('PROTOCOL', 'snmp', 'the agent answered a walk request with no varbinds');
        let first = 0;
        for (let k = 0; k < batch.length; k++) {
          const vb = batch[k];
          let end: RangeEnd | undefined;
          if (vb.type === TYPE_TAGS.EndOfMibView) end = { kind: 'end', stopReason: 'endOfMibView' };
          else if (!inSubtree(root, vb.oid)) end = { kind: 'end', stopReason: 'endOfSubtree' };
          else if (compareOids(vb.oid, previous) <= 0) end = { kind: 'nonIncreasing', previous, received: vb.oid };
          else if (range.upTo !== undefined && compareOids(vb.oid, range.upTo) > 0) {
            deliver(range, batch.slice(first, k), vb);
            settle(range, { kind: 'next' });
            const following = ranges[++index];
            if (following.claimed) return;
            following.claimed = true;
            range = following;
            first = k--; // the same varbind, in the next range
            continue;
          }
          if (end) {
            deliver(range, batch.slice(first, k), vb);
            return settle(range, end);
          }
          previous = vb.oid;
        }
        deliver(range, first === 0 ? batch : batch.slice(first), undefined);
      }
    } catch (error) {
      settle(range, { kind: 'error', error });
    }
  };

  /** Where a worker starts: range 0 first, then the middle of the largest run of free ranges that a worker walks towards. */
  const pickStart = (): number | undefined => {
    let best: number | undefined;
    let bestRun = 1;
    for (let from = 0; from < ranges.length; ) {
      if (ranges[from].claimed) {
        from++;
        continue;
      }
      let to = from;
      while (to < ranges.length && !ranges[to].claimed) to++;
      if (from === 0) return 0;
      // A run after a range that ended the walk is never read.
      if (ranges[from - 1].end === undefined && to - from > bestRun) {
        best = from + Math.floor((to - from) / 2);
        bestRun = to - from;
      }
      from = to;
    }
    return best;
  };

  const worker = async () => {
    for (let start = pickStart(); start !== undefined && !signal.aborted; start = pickStart()) await walkFrom(start);
  };
  const workers = Array.from({ length: Math.min(options.parallel, ranges.length) }, worker);

  try {
    for (; reading < ranges.length; reading++) {
      wakeAll();
      const range = ranges[reading];
      for (;;) {
        if (signal.aborted) throw new AdapterError('CANCELLED', 'snmp', 'the request was cancelled by the client');
        const delivery = range.queue.shift();
        if (delivery === undefined) {
          if (range.end !== undefined) break;
          await new Promise<void>((wake) => (wakeReader = wake));
          wakeReader = undefined;
          continue;
        }
        queued -= delivery.varbinds.length;
        wakeAll();
        const room = limit - given;
        if (delivery.varbinds.length < room) {
          given += delivery.varbinds.length;
          yield delivery.varbinds;
          continue;
        }
        // The limit: as the serial walk, it is truncated unless the varbind after the last one taken ends the walk.
        const next = room < delivery.varbinds.length ? delivery.varbinds[room] : delivery.next;
        given = limit;
        yield delivery.varbinds.slice(0, room);
        if (next === undefined || (inSubtree(root, next.oid) && next.type !== TYPE_TAGS.EndOfMibView)) return { stopReason: 'maxVarbinds', count: given };
        return { stopReason: next.type === TYPE_TAGS.EndOfMibView ? 'endOfMibView' : 'endOfSubtree', count: given };
      }
      const end = range.end!;
      if (end.kind === 'error') throw end.error;
      if (end.kind === 'end') return { stopReason: end.stopReason, count: given };
      if (end.kind === 'nonIncreasing') return { stopReason: 'nonIncreasingOid', nonIncreasingOid: { previous: end.previous, received: end.received }, count: given };
    }
    throw new Error('unreachable: the last range ends the walk');
  } finally {
    stop.abort();
    wakeAll();
    await Promise.all(workers);
  }
}
