import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ApiTokenConfig, Scope } from '../config.ts';
import { problem, problemResponse } from './problem.ts';
import type { AppEnv } from './types.ts';

/** Which scope a path needs. Paths not listed here (and not open) need any valid token. */
const SCOPE_RULES: { pattern: RegExp; scope: Scope }[] = [
  { pattern: /^\/snmp\/set\/?$/, scope: 'write' },
  { pattern: /^\/(snmp\/traps|traps)(\/|$)/, scope: 'traps' },
  { pattern: /^\/(snmp|socket|dhcp)(\/|$)/, scope: 'read' },
];

/** Always open: the API description, so Swagger UI's Authorize button can be used. */
const ALWAYS_OPEN = /^\/(docs(\/.*)?|openapi\.json)$/;

/** Paths that need no token: the API description, plus the configured open paths (health, metrics). */
export function openPathMatcher(openPaths: string[]): (path: string) => boolean {
  const open = new Set(openPaths);
  return (path) => ALWAYS_OPEN.test(path) || open.has(path);
}

export function requiredScope(path: string): Scope | undefined {
  return SCOPE_RULES.find((rule) => rule.pattern.test(path))?.scope;
}

interface KnownToken {
  name: string;
  digest: Buffer;
  scopes: Set<Scope>;
}

export interface Principal {
  name: string;
  scopes: Set<Scope>;
}

export class TokenAuthenticator {
  private readonly tokens: KnownToken[];

  constructor(tokens: ApiTokenConfig[]) {
    this.tokens = tokens.map((t, index) => ({
      name: t.name ?? `token-${index + 1}`,
      digest: t.sha256 ? Buffer.from(t.sha256, 'hex') : sha256(t.token ?? ''),
      scopes: new Set(t.scopes),
    }));
  }

  get enabled(): boolean {
    return this.tokens.length > 0;
  }

  /** Compares against every configured digest in constant time, without stopping at the first match. */
  authenticate(presented: string): Principal | undefined {
    const digest = sha256(presented);
    let found: KnownToken | undefined;
    for (const token of this.tokens) {
      if (timingSafeEqual(digest, token.digest) && !found) found = token;
    }
    return found ? { name: found.name, scopes: found.scopes } : undefined;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function authMiddleware(authenticator: TokenAuthenticator, isOpen: (path: string) => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = c.req.path;
    if (!authenticator.enabled || isOpen(path)) return next();

    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match ? authenticator.authenticate(match[1]) : undefined;
    if (!principal) {
      const detail = match ? 'The bearer token is not valid.' : 'Send Authorization: Bearer <token>.';
      return problemResponse(c, problem(401, 'unauthorized', 'Authentication required', detail), {
        'www-authenticate': `Bearer realm="netprobe"${match ? ', error="invalid_token"' : ''}`,
      });
    }
    const scope = requiredScope(path);
    if (scope && !principal.scopes.has(scope)) {
      return problemResponse(
        c,
        problem(403, 'insufficient-scope', 'Insufficient scope', `This operation needs the "${scope}" scope.`, { requiredScope: scope }),
        { 'www-authenticate': `Bearer realm="netprobe", error="insufficient_scope", scope="${scope}"` },
      );
    }
    c.set('principal', principal);
    return next();
  };
}
