import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { Config } from './config.ts';
import { OPENAPI_DOCUMENT_CONFIG } from './http/openapi.ts';
import { defaultHook, errorHandler, methodNotAllowedProblem, notFoundProblem } from './http/errors.ts';
import { problem, problemResponse } from './http/problem.ts';
import type { AppEnv } from './http/types.ts';
import type { Logger } from './logger.ts';
import type { Readiness } from './readiness.ts';
import { docsRoutes } from './routes/docs/index.ts';
import { healthRoutes } from './routes/health/index.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  readiness: Readiness;
}

export type App = OpenAPIHono<AppEnv>;

/** Builds the whole HTTP application. No I/O: sockets are opened by main.ts alone. */
export function createApp(deps: AppDeps): App {
  const { config, logger } = deps;
  const app = new OpenAPIHono<AppEnv>({ defaultHook });

  app.use(requestId({ headerName: 'x-request-id' }));
  app.use(async (c, next) => {
    const started = performance.now();
    const log = logger.child({ reqId: c.get('requestId') });
    c.set('logger', log);
    await next();
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      },
      'request',
    );
  });
  app.use(
    bodyLimit({
      maxSize: config.http.bodyLimitBytes,
      onError: (c) =>
        problemResponse(
          c,
          problem(413, 'payload-too-large', 'The request body is too large', `The limit is ${config.http.bodyLimitBytes} bytes.`),
        ),
    }),
  );

  app.route('/', healthRoutes(deps.readiness));
  app.route('/', docsRoutes());

  app.doc31('/openapi.json', OPENAPI_DOCUMENT_CONFIG);

  app.notFound((c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0) {
      return problemResponse(c, methodNotAllowedProblem(c.req.method, c.req.path, allowed), { allow: allowed.join(', ') });
    }
    return problemResponse(c, notFoundProblem(c.req.method, c.req.path));
  });
  app.onError(
    errorHandler<AppEnv>((err, c) => {
      (c.get('logger') ?? logger).error({ err }, 'unhandled error');
    }),
  );

  return app;
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
