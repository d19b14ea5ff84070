import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { testDeps } from '../helpers/app.ts';

/** Issue #11 finding 6 and issue #16 item 6: an asset that is not there is a 404 problem, never a 500 or a 405. */

const deps = testDeps({}, 'debug');
const app = createApp(deps);

describe('GET /docs/assets/<file>', () => {
  it.each([
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '__defineGetter__',
    'isPrototypeOf',
    'propertyIsEnumerable',
    'toLocaleString',
    'no-such-file.js',
    'swagger-ui.css.map',
    'index.html',
    'package.json',
    '..%2Fpackage.json',
  ])('%s → 404 /problems/not-found', async (file) => {
    const res = await app.request(`/docs/assets/${file}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ type: '/problems/not-found', status: 404, detail: expect.stringContaining('/docs/assets/') });
  });

  it('logs no error for a missing asset', async () => {
    const before = deps.logs.lines.length;
    for (const file of ['constructor', '__proto__', 'toString']) await app.request(`/docs/assets/${file}`);
    const logged = deps.logs.lines.slice(before).join('\n');
    expect(logged).toContain('/docs/assets/constructor');
    expect(logged).not.toMatch(/ENOENT|unhandled error|"level":50/);
  });

  it('HEAD of a missing asset is 404 too', async () => {
    expect((await app.request('/docs/assets/constructor', { method: 'HEAD' })).status).toBe(404);
  });

  it('still serves the assets Swagger UI needs, with their content type', async () => {
    const css = await app.request('/docs/assets/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const png = await app.request('/docs/assets/favicon-16x16.png');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
  });

});
