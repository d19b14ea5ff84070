import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import { accessGuard, securityFor, type Access } from './access.ts';
import { defaultHook } from './errors.ts';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';
import type { AppEnv } from './types.ts';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/snmp-timeout' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Validation issues (400 only)' }),
  })
  .catchall(z.unknown())
  .openapi('Problem', { description: 'RFC 9457 problem details' });

const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (validation issues, malformed JSON, unknown names)',
  401: 'Missing or invalid bearer token',
  403: 'Forbidden (scope or target policy)',
  404: 'Not found',
  409: 'Conflict: the resource cannot be changed as asked',
  413: 'Request body too large',
  415: 'The body must be sent as application/json',
  422: 'The peer answered with an error status, or the content (a MIB module) cannot be processed',
  429: 'Rate limited',
  500: 'Unexpected error (no internals disclosed)',
  502: 'Bad gateway: the peer rejected the request, sent garbage, or the target does not resolve',
  503: 'Unavailable: the service cannot do this now',
  504: 'Gateway timeout: the peer did not answer',
};

/** OpenAPI `responses` entries for problem+json errors. 400 and 500 are always included. */
export function problemResponses(...statuses: number[]) {
  const all = [...new Set([400, 500, ...statuses])].sort();
  return Object.fromEntries(
    all.map((status) => [
      status,
      {
        description: STATUS_DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  );
}

export function jsonContent<T>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/**
 * A route with its access declared once: `open` or the scope it needs. That one declaration becomes the
 * operation's `security` in the document and the guard that enforces it (src/http/access.ts).
 */
export function defineRoute<const R extends Omit<RouteConfig, 'security' | 'middleware'>>(access: Access, route: R) {
  return createRoute({ ...route, security: securityFor(access), middleware: accessGuard(access) });
}

/** Every router gets the shared validation hook, so every route answers 400 problem+json alike. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook });
}

export const OPENAPI_DOCUMENT_CONFIG: { openapi: string; info: { title: string; version: string; description: string }; security: Record<string, string[]>[] } = {
  openapi: '3.1.0',
  info: {
    title: 'netprobe',
    version: '0.1.0',
    description:
      'Drive network protocols over HTTP: SNMP get/getnext/bulk/walk/set (v1, v2c, v3), SNMP traps and informs as server-sent events, DHCP discovery, and TCP/TLS/UDP socket probes. Errors are RFC 9457 problem details.',
  },
  security: [{ bearerAuth: [] }],
};
