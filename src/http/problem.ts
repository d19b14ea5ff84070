import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export function problemType(slug: string): string {
  return `/problems/${slug}`;
}

export function problem(
  status: ContentfulStatusCode,
  slug: string,
  title: string,
  detail?: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return { type: problemType(slug), title, status, ...(detail ? { detail } : {}), ...extensions };
}

export function problemResponse(c: Context, body: Problem, headers: Record<string, string> = {}): Response {
  c.set('problemType' as never, body.type as never); // for the request's log line
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers, ...requestIdHeader(c) },
  });
}

function requestIdHeader(c: Context): Record<string, string> {
  const id = c.get('requestId' as never) as string | undefined;
  return id ? { 'x-request-id': id } : {};
}
