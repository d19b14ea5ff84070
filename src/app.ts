import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { AppDeps } from './deps.ts';
import { AccessControl, accessControlMiddleware, assertEveryRouteDeclaresAccess } from './http/access.ts';
import { bodyLimitGuard } from './http/body-limit.ts';
import { defaultHook, errorHandler, methodNotAllowedProblem, notFoundProblem } from './http/errors.ts';
import { httpMetrics } from './http/metrics.ts';
import { OPENAPI_DOCUMENT_CONFIG } from './http/openapi.ts';
import { problemResponse } from './http/problem.ts';
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

  app.use(httpMetrics(deps.metrics));
  app.use(requestId({ headerName: 'x-request-id' }));
  app.use(requestLog(logger));
  app.use(bodyLimitGuard(config.http.bodyLimitBytes));
  app.use(accessControlMiddleware(new AccessControl(config, deps.rateLimit)));
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

/** One JSON line per request: id, method, path, status, duration. Never bodies. */
function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    c.set('logger', logger);
    await next();
    logger.info(
      { reqId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, durationMs: elapsedMs(started) },
      'request',
    );
  };
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
