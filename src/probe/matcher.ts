import type { RE2JS } from 're2js';
import { loadOnFirstUse } from '../lazy-module.ts';
import type { ProbeMatch } from './types.ts';

/**
 * `expect` patterns come from requests, so they run on RE2 (re2js, the engine of Go's regexp and so of
 * blackbox_exporter): no backtracking, so no catastrophic pattern. Its cost is linear but proportional to
 * program size × input length, and a 1 KB pattern with counted repetitions (`\w{1000}…`) compiles to
 * 100 000 instructions: both factors are bounded here. Matching goes through `exec` (NFA, one-pass or
 * bounded backtracker), never the lazy DFA of `test`, which keeps up to 8 MB per pattern.
 */

/** Flags a request may give; RE2 always matches code points, so `u` is accepted and changes nothing. */
export const EXPECT_FLAGS = 'imsu';

/** re2js, loaded with the first pattern: a service whose probes expect none does not carry it (about 1 MB). */
const re2js = loadOnFirstUse<typeof import('re2js')>('re2js');
const re2 = (): typeof RE2JS => re2js().RE2JS;

function flagBits(flags: string): number {
  const { CASE_INSENSITIVE, MULTILINE, DOTALL } = re2();
  const bits: Record<string, number> = { i: CASE_INSENSITIVE, m: MULTILINE, s: DOTALL, u: 0 };
  return [...flags].reduce((all, flag) => all | (bits[flag] ?? 0), 0);
}

/** Program size × readBytes for one evaluation: about 50 ms at worst on one core (measured: 20–40 M steps/s). */
export const MAX_EXPECT_COST = 2 ** 20;
/** Instructions compiled for one request (about 1 µs each), over its distinct patterns. */
export const MAX_EXPECT_INSTRUCTIONS_PER_REQUEST = 2 ** 16;

export interface ExpectPattern {
  source: string;
  flags: string;
  /** RE2 instructions: the factor of the input length in the cost of one evaluation. */
  programSize: number;
  regex: RE2JS;
}

export type ExpectCompileResult = { ok: true; pattern: ExpectPattern } | { ok: false; reason: string };

export function compileExpect(source: string, flags = ''): ExpectCompileResult {
  const bits = flagBits(flags);
  try {
    const regex = re2().compile(source, bits);
    return { ok: true, pattern: { source, flags, programSize: regex.programSize(), regex } };
  } catch (err) {
    const reason = (err as Error).message.replace(/^error parsing regexp: /, '');
    return { ok: false, reason: `not a valid regular expression for RE2 (which has no backreferences and no lookaround): ${reason}` };
  }
}

/** Why the pattern may not read this many bytes, or undefined when it may. */
export function expectCostProblem(pattern: ExpectPattern, readBytes: number): string | undefined {
  if (pattern.programSize * readBytes <= MAX_EXPECT_COST) return undefined;
  const maxReadBytes = Math.floor(MAX_EXPECT_COST / pattern.programSize);
  return (
    `the pattern compiles to ${pattern.programSize} RE2 instructions; instructions × readBytes (${readBytes}) may be at most ${MAX_EXPECT_COST}: ` +
    `simplify the pattern (large counted repetitions such as {1000} are expensive)${maxReadBytes > 0 ? ` or set readBytes to at most ${maxReadBytes}` : ''}`
  );
}

/** Compiles the patterns of one request: each distinct pattern once, and no more than the request's budget. */
export class ExpectCompiler {
  private readonly compiled = new Map<string, ExpectCompileResult>();
  private instructions = 0;

  compile(source: string, flags = ''): ExpectCompileResult {
    const key = `${flags}/${source}`;
    const known = this.compiled.get(key);
    if (known) return known;
    if (this.instructions > MAX_EXPECT_INSTRUCTIONS_PER_REQUEST) {
      return { ok: false, reason: `the request's patterns compile to more than ${MAX_EXPECT_INSTRUCTIONS_PER_REQUEST} RE2 instructions in all: use fewer distinct or simpler patterns` };
    }
    const result = compileExpect(source, flags);
    if (result.ok) this.instructions += result.pattern.programSize;
    this.compiled.set(key, result);
    return result;
  }
}

/** The first match in `input`, with its groups, or undefined. */
export function matchExpect(pattern: ExpectPattern, input: string): ProbeMatch | undefined {
  const found = pattern.regex.exec(input) as (string | undefined)[] & { groups?: Record<string, string | undefined> } | null;
  if (!found) return undefined;
  const match: ProbeMatch = { matched: true, groups: found.slice(1).map((group) => group ?? null) };
  const names = Object.keys(pattern.regex.namedGroups());
  if (names.length > 0) match.named = Object.fromEntries(names.map((name) => [name, found.groups?.[name] ?? null]));
  return match;
}

export function noMatch(): ProbeMatch {
  return { matched: false, groups: [] };
}
