import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { matchedRoutes } from 'hono/route';
import type { AppDeps } from './deps.ts';
import { AccessControl, assertEveryRouteDeclaresAccess } from './http/access.ts';
import { bodyLimitGuard } from './http/body-limit.ts';
import { defaultHook, errorHandler, methodNotAllowedProblem, notFoundProblem } from './http/errors.ts';
import { httpMetrics } from './http/metrics.ts';
import { OPENAPI_DOCUMENT_CONFIG } from './http/openapi.ts';
import { problemResponse } from './http/problem.ts';
import { requestFrame, type AnsweredRequestHook } from './http/request-frame.ts';
import type { AppEnv } from './http/types.ts';
import type { Logger } from './logger.ts';
import { openApiDocumentHandler } from './routes/docs/docs.handlers.ts';
import { openApiDocument } from './routes/docs/docs.routes.ts';
import { AREAS, type AreaRoutes } from './routes/index.ts';
import { elapsedMs } from './time.ts';

export type App = OpenAPIHono<AppEnv>;

/**
 * Builds the whole HTTP application from its dependencies and its areas (src/routes/index.ts). No I/O:
 * sockets are opened by main.ts alone. Throws when a mounted route does not declare its access.
 */
export function createApp(deps: AppDeps, areas: readonly AreaRoutes[] = AREAS): App {
  const { config, logger } = deps;
  const app = new OpenAPIHono<AppEnv>({ defaultHook });

  app.use(
    requestFrame({
      accessControl: new AccessControl(config, deps.rateLimit),
      logger,
      recordMetrics: httpMetrics(deps.metrics),
      logRequest: requestLogger(logger),
    }),
  );
  if (config.http.corsOrigins.length > 0) app.use(crossOrigin(config.http.corsOrigins));
  app.use(bodyLimitGuard(config.http.bodyLimitBytes));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'API token from API_TOKENS. Each operation names the scope it needs (read, write or traps).',
  });

  for (const routes of areas) app.route('/', routes(deps));
  app.openapi(openApiDocument, openApiDocumentHandler(() => app.getOpenAPI31Document(OPENAPI_DOCUMENT_CONFIG)));

  app.notFound((c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0) {
      return problemResponse(c, methodNotAllowedProblem(c.req.method, c.req.path, allowed), { allow: allowed.join(', ') });
    }
    return problemResponse(c, notFoundProblem(c.req.method, c.req.path));
  });
  app.onError(
    errorHandler<AppEnv>((err, c) => {
      logger.error({ err, reqId: c.get('requestId') }, 'unhandled error');
    }),
  );

  assertEveryRouteDeclaresAccess(app.routes);
  return app;
}

/**
 * Lets the configured origins' pages call the API and open the trap stream (EventSource resends Last-Event-ID).
 * Preflights are answered before access control: they carry no token.
 */
function crossOrigin(origins: string[]): MiddlewareHandler<AppEnv> {
  return cors({
    origin: origins,
    allowHeaders: ['authorization', 'content-type', 'accept', 'last-event-id'],
    allowMethods: ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['x-request-id', 'retry-after', 'www-authenticate'],
    maxAge: 600,
  });
}

/**
 * One JSON line per request: id, method, path, the operation (route pattern), the target, the outcome (status,
 * problem type) and the token's name, never the token, never bodies. A client that went away is logged as
 * such, not as the 503 nobody received.
 */
function requestLogger(logger: Logger): AnsweredRequestHook {
  return (c, startedMs) => {
    // The line is built only when it will be written (LOG_LEVEL=info): at warn, this costs nothing per request.
    if (!logger.isLevelEnabled('info')) return;
    const problemType = c.get('problemType');
    const clientGone = problemType === '/problems/cancelled';
    logger.info(
      {
        reqId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        operation: matchedRoutes(c).findLast((route) => route.method !== 'ALL')?.path,
        ...requestTarget(c.req.valid('json' as never)),
        ...(clientGone ? { outcome: 'client disconnected' } : { status: c.res.status }),
        ...(problemType && !clientGone ? { problem: problemType } : {}),
        ...(c.get('principal') ? { tokenName: c.get('principal')?.name } : {}),
        durationMs: elapsedMs(startedMs),
      },
      'request',
    );
  };
}

/** `host:port` of the request's target, or how many targets a batch has. */
function requestTarget(body: unknown): { target?: string; targets?: number } {
  if (typeof body !== 'object' || body === null) return {};
  const { host, port, server, targets } = body as { host?: unknown; port?: unknown; server?: unknown; targets?: unknown };
  if (Array.isArray(targets)) return { targets: targets.length };
  const name = typeof host === 'string' ? host : typeof server === 'string' ? server : undefined;
  if (name === undefined) return {};
  const bracketed = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  return { target: port === undefined ? name : `${bracketed}:${String(port)}` };
}

function allowedMethods(app: App, path: string): string[] {
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    if (routePattern(route.path).test(path)) methods.add(route.method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function routePattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}
