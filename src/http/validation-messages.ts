import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * zod's messages say what went wrong in zod's words ("Too big: expected int to be <=9007199254740991",
 * "Invalid input"). These say what would be valid, in the request's words. A message a schema wrote itself
 * (a custom check) is kept as it is.
 */
export function friendlyMessages(issues: readonly Issue[]): { path: PropertyKey[]; message: string }[] {
  return tightestBounds(issues).map((issue) => ({ path: issue.path, message: friendlyMessage(issue) }));
}

function friendlyMessage(issue: Issue): string {
  switch (issue.code) {
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${bound(issue.maximum, issue.origin)}`;
    case 'too_small':
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${bound(issue.minimum, issue.origin)}`;
    case 'invalid_type':
      return `must be ${article(issue.expected)}${received(issue)}`;
    case 'invalid_union':
      return `must be ${unionAlternatives(issue)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')} (the fields each operation takes are in /openapi.json)`;
    default:
      return issue.message;
  }
}

function bound(value: number | bigint, origin: string): string {
  if (origin === 'string') return `${value} characters long`;
  if (origin === 'array' || origin === 'set') return `${value} items`;
  return String(value);
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** `received` exists on the issue object, though zod's type does not declare it. */
function received(issue: Issue): string {
  const got = (issue as { received?: unknown }).received;
  return typeof got === 'string' ? `, not ${got === 'NaN' ? 'something that reads as a number' : got}` : '';
}

function unionAlternatives(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const expected = [...new Set(issue.errors.map((branch) => branch[0]).flatMap((first) => (first?.code === 'invalid_type' ? [article(first.expected)] : [])))];
  return expected.length > 0 ? expected.join(' or ') : 'one of the forms the schema describes';
}

/** A field both under the safe-integer bound and under its own: only the tighter bound is news. */
function tightestBounds(issues: readonly Issue[]): Issue[] {
  const kept = new Map<string, Issue>();
  const rest: Issue[] = [];
  for (const issue of issues) {
    if (issue.code !== 'too_big' && issue.code !== 'too_small') {
      rest.push(issue);
      continue;
    }
    const key = `${issue.code} ${issue.path.map(String).join('.')}`;
    const previous = kept.get(key);
    if (!previous || tighter(issue, previous)) kept.set(key, issue);
  }
  return [...kept.values(), ...rest];
}

function tighter(issue: Issue, than: Issue): boolean {
  if (issue.code === 'too_big' && than.code === 'too_big') return Number(issue.maximum) < Number(than.maximum);
  if (issue.code === 'too_small' && than.code === 'too_small') return Number(issue.minimum) > Number(than.minimum);
  return false;
}
