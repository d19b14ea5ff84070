import { readFileSync } from 'node:fs';
import { createRoute, z } from '@hono/zod-openapi';
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { openApiDocument, OPENAPI_PATH } from '../../scripts/openapi-document.ts';
import { AdapterError } from '../../src/errors.ts';
import { problemResponses } from '../../src/http/openapi.ts';
import { jsonRequest, testApp } from '../helpers/app.ts';

const PROBLEM = 'application/problem+json';

/** The real app plus two routes that exist only in this test, to reach validation and error paths. */
function appWithTestRoutes(overrides = {}) {
  const { app, deps } = testApp(overrides);
  const echo = createRoute({
    method: 'post',
    path: '/test/echo',
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: z.object({ name: z.string().min(1), count: z.number().int().max(5) }) } },
      },
    },
    responses: { 200: { description: 'ok' }, ...problemResponses() },
  });
  app.openapi(echo, (c) => c.json(c.req.valid('json'), 200));
  app.get('/test/boom', () => {
    throw new Error('secret internals at /srv/netprobe/src/app.ts:42');
  });
  app.get('/test/timeout', () => {
    throw new AdapterError('TIMEOUT', 'snmp', 'no answer from 127.0.0.1:161 within 2000 ms');
  });
  return { app, deps };
}

describe('problem+json errors', () => {
  it('answers 404 problem+json for an unknown route', async () => {
    const { app } = appWithTestRoutes();
    const res = await app.request('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    expect(await res.json()).toMatchObject({ type: '/problems/not-found', status: 404, title: expect.any(String) });
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const { app } = appWithTestRoutes();
    const res = await app.request('/healthz', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await res.json()).toMatchObject({ type: '/problems/method-not-allowed', status: 405 });
  });

  it('answers 400 with the list of issues (path and message) on validation failure', async () => {
    const { app } = appWithTestRoutes();
    const res = await app.request(jsonRequest('/test/echo', { name: '', count: 9 }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    const body: any = await res.json();
    expect(body.type).toBe('/problems/validation');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: 'body.name', message: expect.any(String) },
        { path: 'body.count', message: expect.any(String) },
      ]),
    );
  });

  it('refuses a body sent without a JSON content type (415) instead of skipping validation', async () => {
    const { app } = appWithTestRoutes();
    const res = await app.request('/test/echo', { method: 'POST', body: 'name=x' });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    expect(await res.json()).toMatchObject({ type: '/problems/unsupported-media-type' });
  });

  it('answers 400 problem+json for malformed JSON', async () => {
    const { app } = appWithTestRoutes();
    const res = await app.request(jsonRequest('/test/echo', '{"name": "x",'));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    expect(await res.json()).toMatchObject({ type: '/problems/malformed-json', status: 400 });
  });

  it('answers 413 problem+json above the configured body limit', async () => {
    const { app } = appWithTestRoutes({ http: { bodyLimitBytes: 100 } });
    const res = await app.request(jsonRequest('/test/echo', { name: 'x'.repeat(200), count: 1 }));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    expect(await res.json()).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
  });

  it('enforces the default 1 MiB body limit on a streamed body without Content-Length', async () => {
    const { app } = appWithTestRoutes();
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 1024 * 1024 + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const req = new Request('http://localhost/test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(req.headers.get('content-length')).toBeNull();
    const res = await app.request(req);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
  });

  it('answers 500 problem+json that leaks no stack, path or message of the error', async () => {
    const { app, deps } = appWithTestRoutes();
    const res = await app.request('/test/boom');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    const text = await res.text();
    expect(text).not.toMatch(/secret internals|\/srv\/|app\.ts|at .*\(|stack/i);
    expect(JSON.parse(text)).toMatchObject({ type: '/problems/internal', status: 500 });
    expect(deps.logs.text()).toBe(''); // silent logger in tests; the log is where details go
  });

  it('maps adapter errors to their problem type and status', async () => {
    const { app } = appWithTestRoutes();
    const res = await app.request('/test/timeout');
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ type: '/problems/snmp-timeout', status: 504, detail: expect.stringContaining('2000 ms') });
  });

  it('carries a request id on every answer', async () => {
    const { app } = appWithTestRoutes();
    const res = await app.request('/no/such/route');
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
  });
});

describe('health', () => {
  it('GET /healthz answers 200', async () => {
    const { app } = testApp();
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports each subsystem and 503 when one is down', async () => {
    const { app, deps } = testApp();
    deps.readiness.set('traps', 'up');
    let res = await app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, subsystems: { http: { state: 'up' }, traps: { state: 'up' } } });
    deps.readiness.set('traps', 'down', 'EADDRINUSE');
    res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, subsystems: { traps: { state: 'down', detail: 'EADDRINUSE' } } });
  });
});

describe('docs', () => {
  it('serves Swagger UI with only local assets', async () => {
    const { app } = testApp();
    const res = await app.request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const assetRes = await app.request(asset);
      expect(assetRes.status, asset).toBe(200);
      expect((await assetRes.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
    const init = await (await app.request('/docs/init.js')).text();
    expect(init).toContain("url: '/openapi.json'");
    expect(init).not.toMatch(/https?:\/\//);
  });

  it('serves a valid OpenAPI 3.1 document', async () => {
    const { app } = testApp();
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc: any = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc));
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('declares problem+json error responses on every operation', async () => {
    const doc = JSON.parse(openApiDocument());
    for (const [path, item] of Object.entries<Record<string, { responses: Record<string, { content?: object }> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.responses['400'], `${method} ${path}`).toBeDefined();
        expect(op.responses['500']?.content, `${method} ${path}`).toHaveProperty(['application/problem+json']);
      }
    }
  });

  it('the committed openapi/openapi.json matches the code (run `npm run openapi` after changing routes)', () => {
    const committed = readFileSync(new URL(`../../${OPENAPI_PATH}`, import.meta.url), 'utf8');
    expect(committed).toBe(openApiDocument());
  });
});
