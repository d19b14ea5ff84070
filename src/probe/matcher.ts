import { createContext, Script } from 'node:vm';
import type { ProbeMatch } from './types.ts';

/**
 * The time one `expect` evaluation may take. Patterns come from the request, so a catastrophic
 * one (`(a+)+$`) must not freeze the event loop; V8 honours the vm timeout inside the regex engine.
 */
export const MATCH_TIME_LIMIT_MS = 100;
/** A pattern that really ran out of time is refused at once for this long, so a batch cannot repeat the stall. */
const SLOW_PATTERN_MEMORY_MS = 60_000;
const SLOW_PATTERN_CAPACITY = 256;
/** The vm timeout is wall-clock; a busy host can deschedule us past it. Retry when little CPU was spent. */
const RETRIES_WHEN_DESCHEDULED = 2;

const sandbox = createContext(Object.create(null) as object);
const execInSandbox = new Script('pattern.exec(input)');
const slowPatterns = new Map<string, number>();

export type MatchAttempt = { kind: 'matched'; match: ProbeMatch } | { kind: 'unmatched' } | { kind: 'tooSlow' };

export function attemptMatch(pattern: RegExp, input: string, limitMs = MATCH_TIME_LIMIT_MS): MatchAttempt {
  const key = `${pattern.flags}/${pattern.source}`;
  if ((slowPatterns.get(key) ?? 0) > Date.now()) return { kind: 'tooSlow' };
  for (let attempt = 0; ; attempt++) {
    const cpuBefore = process.cpuUsage();
    const outcome = execWithin(pattern, input, limitMs);
    if (outcome !== 'timedOut') return outcome === null ? { kind: 'unmatched' } : { kind: 'matched', match: toProbeMatch(outcome) };
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (cpuMs >= limitMs / 2 || attempt >= RETRIES_WHEN_DESCHEDULED) {
      rememberSlow(key);
      return { kind: 'tooSlow' };
    }
  }
}

function execWithin(pattern: RegExp, input: string, limitMs: number): RegExpExecArray | null | 'timedOut' {
  const scope = sandbox as { pattern?: RegExp; input?: string };
  scope.pattern = pattern;
  scope.input = input;
  try {
    return execInSandbox.runInContext(sandbox, { timeout: limitMs }) as RegExpExecArray | null;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timedOut';
    throw err;
  } finally {
    scope.pattern = undefined;
    scope.input = undefined;
  }
}

function rememberSlow(key: string): void {
  if (slowPatterns.size >= SLOW_PATTERN_CAPACITY) slowPatterns.delete(slowPatterns.keys().next().value as string);
  slowPatterns.set(key, Date.now() + SLOW_PATTERN_MEMORY_MS);
}

function toProbeMatch(found: RegExpExecArray): ProbeMatch {
  const groups = Array.from(found).slice(1).map((g) => g ?? null);
  const match: ProbeMatch = { matched: true, groups };
  if (found.groups) {
    match.named = Object.fromEntries(Object.entries(found.groups).map(([name, value]) => [name, value ?? null]));
  }
  return match;
}

export function noMatch(): ProbeMatch {
  return { matched: false, groups: [] };
}
