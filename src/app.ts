import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import type { Config } from './config.ts';
import type { DhcpClient } from './dhcp/client.ts';
import { authMiddleware, openPathMatcher, TokenAuthenticator } from './http/auth.ts';
import { bodyLimitGuard } from './http/body-limit.ts';
import type { Metrics } from './http/metrics.ts';
import { OPENAPI_DOCUMENT_CONFIG } from './http/openapi.ts';
import { RateLimiter, rateLimitMiddleware } from './http/rate-limit.ts';
import { defaultHook, errorHandler, methodNotAllowedProblem, notFoundProblem } from './http/errors.ts';
import { problemResponse } from './http/problem.ts';
import type { AppEnv } from './http/types.ts';
import type { Logger } from './logger.ts';
import type { TargetResolver } from './net/resolve.ts';
import type { ProbeService } from './probe/index.ts';
import type { Readiness } from './readiness.ts';
import type { TrapService } from './snmp/trap-service.ts';
import type { SnmpService } from './snmp/service.ts';
import { dhcpRoutes } from './routes/dhcp/index.ts';
import { docsRoutes } from './routes/docs/index.ts';
import { metricsRoutes } from './routes/metrics/index.ts';
import { socketRoutes } from './routes/socket/index.ts';
import { trapsRoutes } from './routes/traps/index.ts';
import { snmpRoutes } from './routes/snmp/index.ts';
import { healthRoutes } from './routes/health/index.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  readiness: Readiness;
  /** Resolves target names once and applies the target policy; adapters connect to what it returns. */
  resolver: TargetResolver;
  metrics: Metrics;
  dhcp: DhcpClient;
  probes: ProbeService;
  traps: TrapService;
  snmp: SnmpService;
}

export type App = OpenAPIHono<AppEnv>;

/** Builds the whole HTTP application. No I/O: sockets are opened by main.ts alone. */
export function createApp(deps: AppDeps): App {
  const { config, logger } = deps;
  const app = new OpenAPIHono<AppEnv>({ defaultHook });

  app.use(deps.metrics.middleware());
  app.use(requestId({ headerName: 'x-request-id' }));
  app.use(async (c, next) => {
    const started = performance.now();
    c.set('logger', logger);
    await next();
    logger.info(
      {
        reqId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      },
      'request',
    );
  });
  app.use(bodyLimitGuard(config.http.bodyLimitBytes));

  const authenticator = new TokenAuthenticator(config.auth.tokens);
  const isOpen = openPathMatcher(config.auth.openPaths);
  app.use(authMiddleware(authenticator, isOpen));
  if (config.limits.ratePerSecond > 0) {
    app.use(rateLimitMiddleware(new RateLimiter(config.limits.ratePerSecond, config.limits.rateBurst), isOpen));
  }
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'API token from API_TOKENS; scopes: read (get, getnext, bulk, walk, probe, dhcp), write (set), traps (stream, recent).',
  });

  app.route('/', healthRoutes(deps.readiness, () => (authenticator.enabled ? [] : ['no API tokens configured: the API is open to anyone who can reach it'])));
  app.route('/', snmpRoutes(deps));
  app.route('/', trapsRoutes(deps));
  app.route('/', dhcpRoutes(deps));
  app.route('/', socketRoutes(deps));
  app.route('/', docsRoutes());
  app.route('/', metricsRoutes(deps.metrics));

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
      logger.error({ err, reqId: c.get('requestId') }, 'unhandled error');
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
