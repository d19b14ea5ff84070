import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { SCOPES, type Scope } from '../../src/config.ts';
import { createRouter, defineRoute, OPENAPI_DOCUMENT_CONFIG } from '../../src/http/openapi.ts';
import { AREAS } from '../../src/routes/index.ts';
import { testDeps } from '../helpers/app.ts';

/** Access comes from the route table: every operation of the document is checked against its declared scope. */

const TOKENS: Record<Scope, string> = { read: 'read-token-0123456789abcdef', write: 'write-token-0123456789abcdef', traps: 'traps-token-0123456789abcdef' };

function securedApp() {
  const deps = testDeps({ auth: { tokens: SCOPES.map((scope) => ({ name: scope, token: TOKENS[scope], scopes: [scope] })) } });
  return createApp(deps);
}

interface Operation {
  method: string;
  path: string;
  scope: Scope | 'open';
}

function operations(app: ReturnType<typeof securedApp>): Operation[] {
  const doc = app.getOpenAPI31Document(OPENAPI_DOCUMENT_CONFIG) as unknown as {
    paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      expect(op.security, `${method} ${path} declares its access`).toBeDefined();
      const scope = (op.security!.length === 0 ? 'open' : op.security![0].bearerAuth[0]) as Operation['scope'];
      return { method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x'), scope };
    }),
  );
}

async function call(app: ReturnType<typeof securedApp>, op: Operation, token?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  // HEAD for streams, so that a passing request does not open a subscription that never ends.
  const method = op.method === 'GET' && op.path === '/snmp/traps' ? 'HEAD' : op.method;
  return app.request(op.path, { method, headers, body: method === 'POST' ? '{}' : undefined });
}

describe('every operation in the document is guarded by the scope it declares', () => {
  const app = securedApp();
  const ops = operations(app);

  it('covers every operation, and each declares open or one scope', () => {
    expect(ops.length).toBeGreaterThanOrEqual(12);
    for (const op of ops) expect(['open', ...SCOPES]).toContain(op.scope);
  });

  it.each(ops.map((op) => [`${op.method} ${op.path} (${op.scope})`, op] as const))('%s', async (_name, op) => {
    const anonymous = await call(app, op);
    if (op.scope === 'open') {
      expect(anonymous.status).not.toBe(401);
      return;
    }
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
    for (const other of SCOPES.filter((scope) => scope !== op.scope)) {
      const wrong = await call(app, op, TOKENS[other]);
      expect(wrong.status, `with a ${other} token`).toBe(403);
      if (op.method !== 'GET' || op.path !== '/snmp/traps') {
        expect(await wrong.json()).toMatchObject({ type: '/problems/insufficient-scope', requiredScope: op.scope });
      }
    }
    const right = await call(app, op, TOKENS[op.scope]);
    expect([401, 403]).not.toContain(right.status);
  });
});

describe('a route that does not declare its access', () => {
  it('makes the app refuse to start: a plain hono route', () => {
    const rogue = () => createRouter().get('/rogue', (c) => c.text('no guard'));
    expect(() => createApp(testDeps(), [...AREAS, rogue])).toThrow(/GET \/rogue/);
  });

  it('makes the app refuse to start: an OpenAPI route made without defineRoute', () => {
    const route = createRoute({ method: 'get', path: '/sneaky', responses: { 200: { description: 'ok', content: { 'application/json': { schema: z.object({}) } } } } });
    const rogue = () => createRouter().openapi(route, (c) => c.json({}, 200));
    expect(() => createApp(testDeps(), [...AREAS, rogue])).toThrow(/GET \/sneaky/);
  });

  it('is fine once declared', () => {
    const route = defineRoute('read', { method: 'get', path: '/declared', responses: { 200: { description: 'ok', content: { 'application/json': { schema: z.object({}) } } } } });
    const declared = () => createRouter().openapi(route, (c) => c.json({}, 200));
    expect(() => createApp(testDeps(), [...AREAS, declared])).not.toThrow();
  });
});
