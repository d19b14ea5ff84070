import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { consoleRoutes } from '../../src/routes/console/index.ts';
import { testDeps } from '../helpers/app.ts';

/** GET /console and its files, in-process. The browser tests are test/interop/console.test.ts. */

const TOKEN = 'console-http-test-token-0123456789';
const app = createApp(testDeps({ auth: { tokens: [{ name: 'reader', token: TOKEN, scopes: ['read'] }] } }));

async function page(): Promise<{ res: Response; html: string }> {
  const res = await app.request('/console');
  return { res, html: await res.text() };
}

describe('GET /console', () => {
  it('is served without a token (the page asks for it), with a CSP that allows only its own scripts and origin', async () => {
    const { res, html } = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const importMap = /<script type="importmap">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${createHash('sha256').update(importMap).digest('base64')}'`);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves every file the page and its import map name, each with its content type', async () => {
    const { html } = await page();
    const importMap = JSON.parse(/<script type="importmap">(.*?)<\/script>/s.exec(html)![1]) as { imports: Record<string, string> };
    const urls = [...html.matchAll(/(?:href|src)="(\/console\/[^"]+)"/g)].map((m) => m[1]).concat(Object.values(importMap.imports));
    expect(urls).toEqual(expect.arrayContaining(['/console/app/main.js', '/console/app/console.css', '/console/vendor/preact/preact.mjs', '/console/vendor/uplot/uPlot.min.css']));
    for (const url of urls) {
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toMatch(url.endsWith('.css') ? /^text\/css/ : url.endsWith('.svg') ? /^image\/svg/ : /^text\/javascript/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it.each([
    '/console/app/constructor',
    '/console/app/__proto__',
    '/console/app/tsconfig.json',
    '/console/app/..%2Fpackage.json',
    '/console/app/main.js.map',
    '/console/vendor/preact/package.json',
    '/console/vendor/preact/constructor',
    '/console/vendor/left-pad/index.js',
    '/console/vendor/__proto__/x.js',
  ])('%s → 404 /problems/not-found', async (url) => {
    const res = await app.request(url);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: '/problems/not-found' });
  });

  it('/console/ redirects to /console', async () => {
    const res = await app.request('/console/');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/console');
  });

  it('adds nothing to the API: its routes are GETs under /console only, and API answers carry no console header', async () => {
    const routes = consoleRoutes().routes;
    expect(routes.every((r) => r.method === 'GET' && r.path.startsWith('/console'))).toBe(true);
    const res = await app.request('/snmp/traps/recent', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect((await app.request('/healthz')).headers.get('content-security-policy')).toBeNull();
  });
});
