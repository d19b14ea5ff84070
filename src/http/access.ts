import type { Context, MiddlewareHandler } from 'hono';
import { SCOPES, type Config } from '../config.ts';
import { TokenAuthenticator, type Principal } from './auth.ts';
import { problem, problemResponse } from './problem.ts';
import type { RateLimit } from './rate-limit.ts';
import type { AppEnv } from './types.ts';

/**
 * Access comes from the route: each route declares `open` or the scope it needs (defineRoute in
 * src/http/openapi.ts turns that one declaration into the operation's `security` in the document and
 * into the route's guard, below). A mounted route without a guard is refused when the app is built.
 */
export const ACCESS_LEVELS = ['open', ...SCOPES] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** The operation's `security` in the OpenAPI document. */
export function securityFor(access: Access): Record<string, string[]>[] {
  return access === 'open' ? [] : [{ bearerAuth: [access] }];
}

const guards = new Map<Access, MiddlewareHandler<AppEnv>>();
const declaredAccess = new WeakMap<object, Access>();

/** The middleware a route's declaration becomes: the app's access control admits the request, or answers it. */
export function accessGuard(access: Access): MiddlewareHandler<AppEnv> {
  let guard = guards.get(access);
  if (!guard) {
    // Synchronous unless the rate limit is shared (Redis): a guard that awaits nothing adds no async step.
    guard = (c, next) => {
      const refusal = c.get('accessControl').admit(c, access);
      if (refusal === undefined) return next();
      if (refusal instanceof Promise) return refusal.then((answer): Promise<Response | void> => (answer ? Promise.resolve(answer) : next()));
      return Promise.resolve(refusal);
    };
    guards.set(access, guard);
    declaredAccess.set(guard, access);
  }
  return guard;
}

interface MountedRoute {
  method: string;
  path: string;
  handler: object;
}

/** Throws, naming them, when any mounted route (hono's route list) carries no access guard. */
export function assertEveryRouteDeclaresAccess(routes: readonly MountedRoute[]): void {
  const guarded = new Map<string, boolean>();
  for (const { method, path, handler } of routes) {
    if (method === 'ALL') continue; // app-wide middleware
    const key = `${method} ${path}`;
    guarded.set(key, (guarded.get(key) ?? false) || declaredAccess.has(handler));
  }
  const undeclared = [...guarded].filter(([, ok]) => !ok).map(([route]) => route);
  if (undeclared.length > 0) {
    throw new Error(`routes without an access declaration (define them with defineRoute(access, …)): ${undeclared.join(', ')}`);
  }
}

/**
 * The API description and the pages that read it stay open whatever AUTH_OPEN_PATHS says: Swagger UI's
 * Authorize button and the console's token field need the page first. Neither page holds any data.
 */
const PUBLIC_PAGES = /^\/(docs(\/.*)?|openapi\.json|console(\/.*)?)$/;

/**
 * Admission for one app: the bearer token (constant-time), the declared scope, and the per-token rate
 * limit. Routes declared `open` need no token while their path is in AUTH_OPEN_PATHS (an operator may
 * remove /metrics from it to protect it: then any valid token will do).
 */
export class AccessControl {
  private readonly authenticator: TokenAuthenticator;
  private readonly openPaths: Set<string>;
  private readonly limiter: RateLimit | undefined;

  /** `limiter`: the per-token rate limit (RATE_LIMIT_PER_SECOND), or undefined when it is off. */
  constructor({ auth }: Pick<Config, 'auth'>, limiter: RateLimit | undefined) {
    this.limiter = limiter;
    this.authenticator = new TokenAuthenticator(auth.tokens);
    this.openPaths = new Set(auth.openPaths);
  }

  /** False when no token is configured: the API is open to anyone who can reach it. */
  get enforced(): boolean {
    return this.authenticator.enabled;
  }

  /** Undefined when the request may proceed; otherwise the 401, 403 or 429 to answer. */
  admit(c: Context<AppEnv>, access: Access): Response | undefined | Promise<Response | undefined> {
    if (access === 'open' && (this.openPaths.has(c.req.path) || PUBLIC_PAGES.test(c.req.path))) return undefined;
    if (!this.authenticator.enabled) return this.rateLimited(c, 'anonymous');
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match ? this.authenticator.authenticate(match[1]) : undefined;
    if (!principal) return unauthorized(c, match !== null);
    c.set('principal', principal);
    if (access !== 'open' && !principal.scopes.has(access)) return insufficientScope(c, access);
    return this.rateLimited(c, principal.name);
  }

  private rateLimited(c: Context<AppEnv>, caller: Principal['name']): Response | undefined | Promise<Response | undefined> {
    const waitSeconds = this.limiter?.take(caller) ?? 0;
    if (waitSeconds instanceof Promise) return waitSeconds.then((seconds) => this.tooManyRequests(c, seconds));
    return this.tooManyRequests(c, waitSeconds);
  }

  private tooManyRequests(c: Context<AppEnv>, waitSeconds: number): Response | undefined {
    if (waitSeconds === 0) return undefined;
    const retryAfter = String(Math.max(1, Math.ceil(waitSeconds)));
    return problemResponse(c, problem(429, 'rate-limited', 'Too many requests', `Retry after ${retryAfter} s.`), { 'retry-after': retryAfter });
  }
}

function unauthorized(c: Context<AppEnv>, presented: boolean): Response {
  const detail = presented ? 'The bearer token is not valid.' : 'Send Authorization: Bearer <token>.';
  return problemResponse(c, problem(401, 'unauthorized', 'Authentication required', detail), {
    'www-authenticate': `Bearer realm="netprobe"${presented ? ', error="invalid_token"' : ''}`,
  });
}

function insufficientScope(c: Context<AppEnv>, scope: string): Response {
  return problemResponse(
    c,
    problem(403, 'insufficient-scope', 'Insufficient scope', `This operation needs the "${scope}" scope.`, { requiredScope: scope }),
    { 'www-authenticate': `Bearer realm="netprobe", error="insufficient_scope", scope="${scope}"` },
  );
}
