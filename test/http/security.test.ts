import { createHash } from 'node:crypto';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { jsonRequest, testApp } from '../helpers/app.ts';

const READ = 'read-token-0123456789abcdef';
const WRITE = 'write-token-0123456789abcdef';
const TRAPS = 'traps-token-0123456789abcdef';
const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');

function securedApp(extra = {}) {
  return testApp({
    auth: {
      tokens: [
        { name: 'reader', token: READ, scopes: ['read'] },
        { name: 'writer', sha256: sha256(WRITE), scopes: ['read', 'write'] },
        { name: 'trapper', sha256: sha256(TRAPS), scopes: ['traps'] },
      ],
    },
    ...extra,
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function operations(app: ReturnType<typeof testApp>['app']) {
  const doc: any = await (await app.request('/openapi.json')).json();
  const ops: { method: string; path: string; open: boolean }[] = [];
  for (const [path, item] of Object.entries<Record<string, { security?: unknown[] }>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      ops.push({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, '1'), open: Array.isArray(op.security) && op.security.length === 0 });
    }
  }
  return ops;
}

describe('bearer tokens and scopes', () => {
  it('answers 401 with WWW-Authenticate on every protected route without a token', async () => {
    const { app } = securedApp();
    const ops = await operations(app);
    const protectedOps = [
      ...ops.filter((o) => !o.open),
      ...['/snmp/get', '/snmp/walk', '/snmp/set', '/socket/probe', '/dhcp/discover'].map((path) => ({ method: 'POST', path, open: false })),
      ...['/snmp/traps', '/snmp/traps/recent'].map((path) => ({ method: 'GET', path, open: false })),
    ];
    for (const op of protectedOps) {
      const res = await app.request(op.path, { method: op.method, headers: { 'content-type': 'application/json' }, body: op.method === 'GET' ? undefined : '{}' });
      expect(res.status, `${op.method} ${op.path}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('keeps health, metrics, docs and the OpenAPI document open', async () => {
    const { app } = securedApp();
    for (const path of ['/healthz', '/readyz', '/metrics', '/docs', '/openapi.json']) {
      const res = await app.request(path);
      expect(res.status, path).not.toBe(401);
    }
  });

  it('rejects an unknown token as invalid_token', async () => {
    const { app } = securedApp();
    const res = await app.request(jsonRequest('/snmp/get', {}, { headers: bearer('not-a-token-at-all-1234') }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('refuses a read token on /snmp/set with 403 and lets a write token through', async () => {
    const { app } = securedApp();
    const denied = await app.request(jsonRequest('/snmp/set', {}, { headers: bearer(READ) }));
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ type: '/problems/insufficient-scope', requiredScope: 'write' });
    const allowed = await app.request(jsonRequest('/snmp/set', {}, { headers: bearer(WRITE) }));
    expect([401, 403]).not.toContain(allowed.status); // past auth
  });

  it('needs the traps scope for trap routes', async () => {
    const { app } = securedApp();
    expect((await app.request('/snmp/traps/recent', { headers: bearer(READ) })).status).toBe(403);
    expect((await app.request('/snmp/traps/recent', { headers: bearer(TRAPS) })).status).not.toBe(403);
    expect((await app.request(jsonRequest('/snmp/get', {}, { headers: bearer(TRAPS) }))).status).toBe(403);
  });

  it('warns in /readyz when no token is configured', async () => {
    const { app } = testApp();
    const body: any = await (await app.request('/readyz')).json();
    expect(body.warnings).toEqual([expect.stringMatching(/no API tokens/)]);
    const secured: any = await (await securedApp().app.request('/readyz')).json();
    expect(secured.warnings).toBeUndefined();
  });

  it('declares the bearer scheme in the OpenAPI document', async () => {
    const { app } = securedApp();
    const doc: any = await (await app.request('/openapi.json')).json();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a token has spent its burst', async () => {
    const { app } = securedApp({ limits: { ratePerSecond: 0.5, rateBurst: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.request(jsonRequest('/snmp/get', {}, { headers: bearer(READ) }))).status);
    expect(statuses.slice(0, 2)).not.toContain(429);
    expect(statuses[2]).toBe(429);
    const res = await app.request(jsonRequest('/snmp/get', {}, { headers: bearer(READ) }));
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    // another token has its own bucket
    expect((await app.request(jsonRequest('/snmp/get', {}, { headers: bearer(WRITE) }))).status).not.toBe(429);
  });
});

describe('/metrics', () => {
  it('parses as Prometheus text and its counters move with requests', async () => {
    const { app } = testApp();
    const scrape = async () => parsePrometheusTextFormat(await (await app.request('/metrics')).text());
    const count = (families: ReturnType<typeof parsePrometheusTextFormat>, route: string) =>
      families
        .find((f) => f.name === 'netprobe_http_requests_total')
        ?.metrics.filter((m) => m.labels?.route === route)
        .reduce((sum, m) => sum + Number(m.value), 0) ?? 0;
    const before = await scrape();
    expect(before.find((f) => f.name === 'process_cpu_user_seconds_total')).toBeDefined();
    await app.request('/healthz');
    await app.request('/healthz');
    await app.request('/no/such/thing');
    const after = await scrape();
    expect(count(after, '/healthz') - count(before, '/healthz')).toBe(2);
    expect(count(after, 'unmatched') - count(before, 'unmatched')).toBe(1);
    expect(after.find((f) => f.name === 'netprobe_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
  });
});
