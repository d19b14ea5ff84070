import type { Context, Env } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AdapterError, type AdapterErrorCode } from '../errors.ts';
import { problem, problemResponse, type Problem } from './problem.ts';
import { friendlyMessages } from './validation-messages.ts';

interface CodeMapping {
  status: ContentfulStatusCode;
  /** Problem type slug; `{sub}` is replaced by the adapter's subsystem. */
  slug: string;
  title: string;
}

const CODE_MAPPINGS: Record<AdapterErrorCode, CodeMapping> = {
  TIMEOUT: { status: 504, slug: '{sub}-timeout', title: 'The peer did not answer in time' },
  AUTH: { status: 502, slug: '{sub}-auth', title: 'The peer rejected the credentials' },
  AGENT_ERROR: { status: 422, slug: '{sub}-error', title: 'The peer answered with an error status' },
  PROTOCOL: { status: 502, slug: '{sub}-protocol', title: 'The peer sent an invalid or unexpected answer' },
  UNRESOLVABLE: { status: 502, slug: 'target-unresolvable', title: 'The target name does not resolve' },
  UNREACHABLE: { status: 502, slug: '{sub}-unreachable', title: 'The target cannot be reached' },
  INVALID_INPUT: { status: 400, slug: 'invalid-request', title: 'The request cannot be carried out as given' },
  VALIDATION: { status: 400, slug: 'validation', title: 'The request is invalid' },
  REFUSED_BY_POLICY: { status: 403, slug: 'target-denied', title: 'The target is refused by policy' },
  UNAVAILABLE: { status: 503, slug: '{sub}-unavailable', title: 'The service cannot do this right now' },
  CANCELLED: { status: 503, slug: 'cancelled', title: 'The operation was cancelled' },
  NOT_FOUND: { status: 404, slug: '{sub}-not-found', title: 'No such resource' },
  CONFLICT: { status: 409, slug: '{sub}-conflict', title: 'The resource cannot be changed as asked' },
  UNPROCESSABLE: { status: 422, slug: '{sub}-unprocessable', title: 'The content cannot be processed' },
};

export function adapterErrorToProblem(err: AdapterError): Problem {
  if (err.code === 'VALIDATION') {
    return validationProblem(err.fieldIssues.map((issue) => ({ path: ['body', ...issue.path.map(String)].join('.'), message: issue.message })));
  }
  const mapping = CODE_MAPPINGS[err.code];
  const slug = mapping.slug.replace('{sub}', err.subsystem);
  return problem(mapping.status, slug, mapping.title, err.message, err.extensions);
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export function zodIssues(error: ZodError, prefix?: string): ValidationIssue[] {
  return friendlyMessages(error.issues).map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(root)',
    message: issue.message,
  }));
}

export function validationProblem(issues: ValidationIssue[], detail?: string): Problem {
  return problem(400, 'validation', 'The request is invalid', detail ?? issues.map((i) => `${i.path}: ${i.message}`).join('; '), {
    errors: issues,
  });
}

/** Shared zod-openapi hook: every route answers 400 problem+json on validation failure. */
export function defaultHook(
  result: { success: true } | { success: false; error: ZodError; target?: string },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const target = result.target === 'json' ? 'body' : result.target;
  return problemResponse(c, validationProblem(zodIssues(result.error, target)));
}

export function errorHandler<E extends Env>(onUnexpected: (err: unknown, c: Context<E>) => void) {
  return (err: unknown, c: Context<E>): Response | Promise<Response> => {
    if (err instanceof AdapterError) {
      const retryAfter: Record<string, string> = err.retryAfterSeconds === undefined ? {} : { 'retry-after': String(err.retryAfterSeconds) };
      return problemResponse(c, adapterErrorToProblem(err), retryAfter);
    }
    if (err instanceof HTTPException && isMalformedJson(err)) return malformedJson(c);
    if (err instanceof HTTPException) return problemResponse(c, httpExceptionProblem(err));
    onUnexpected(err, c);
    return problemResponse(c, problem(500, 'internal', 'Internal server error', 'An unexpected error occurred; see the service log for the request id.'));
  };
}

function isMalformedJson(err: HTTPException): boolean {
  return err.status === 400 && /JSON/i.test(err.message);
}

/** Where the JSON breaks, from the body text hono keeps after its parse failed: line, column and what was found. */
async function malformedJson(c: Context): Promise<Response> {
  let detail = 'The body is not valid JSON.';
  try {
    JSON.parse(await c.req.text());
  } catch (err) {
    const reason = (err as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    const position = /position (\d+)/.exec((err as Error).message)?.[1];
    const text = await c.req.text();
    detail = position === undefined ? `The body is not valid JSON: ${reason}.` : `The body is not valid JSON: ${reason} at ${lineAndColumn(text, Number(position))}.`;
  }
  return problemResponse(c, problem(400, 'malformed-json', 'The request body is not valid JSON', detail));
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column} (character ${position})`;
}

function httpExceptionProblem(err: HTTPException): Problem {
  const status = err.status as ContentfulStatusCode;
  if (status === 413) return problem(413, 'payload-too-large', 'The request body is too large', err.message);
  if (status === 415) {
    return problem(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as JSON with Content-Type: application/json.');
  }
  if (status === 401) return problem(401, 'unauthorized', 'Authentication required', err.message);
  return problem(status, `http-${status}`, err.message || 'HTTP error');
}

export function notFoundProblem(method: string, path: string): Problem {
  return problem(404, 'not-found', 'No such resource', `${method} ${path} does not exist; see /openapi.json for the routes.`);
}

export function methodNotAllowedProblem(method: string, path: string, allowed: string[]): Problem {
  return problem(405, 'method-not-allowed', 'Method not allowed', `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`);
}
