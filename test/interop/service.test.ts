import { createServer, type AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServiceToExit, startService, type RunningService } from '../helpers/service.ts';

describe('the real service process', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service?.stop('SIGKILL');
  });

  it('serves /healthz, /docs and /openapi.json over HTTP', async () => {
    await request(service.baseUrl).get('/healthz').expect(200, { status: 'ok' });
    const docs = await request(service.baseUrl).get('/docs').expect(200);
    expect(docs.text).toContain('/docs/assets/swagger-ui-bundle.js');
    await request(service.baseUrl).get('/docs/assets/swagger-ui-bundle.js').expect(200).expect('content-type', /javascript/);
    const doc = await request(service.baseUrl).get('/openapi.json').expect(200);
    expect(doc.body.openapi).toBe('3.1.0');
  });

  it('writes structured JSON request logs with id, method, path, status and duration, never bodies', async () => {
    await request(service.baseUrl).post('/healthz').send({ community: 'supersecret' }).expect(405);
    await new Promise((r) => setTimeout(r, 100));
    const line = service.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.method === 'POST');
    expect(line).toMatchObject({ method: 'POST', path: '/healthz', status: 405, reqId: expect.any(String), durationMs: expect.any(Number) });
    expect(service.logs.join('\n')).not.toContain('supersecret');
  });

  it('finishes in-flight requests and exits 0 on SIGTERM', async () => {
    const other = await startService();
    // A TCP peer that accepts and stays silent keeps the probe request in flight until its timeout.
    const silent = createServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const pending = request(other.baseUrl)
      .post('/socket/probe')
      .send({ host: '127.0.0.1', port, readBytes: 16, timeoutMs: 800 })
      .then((r) => r.status);
    await new Promise((r) => setTimeout(r, 300));
    const code = await other.stop('SIGTERM');
    silent.close();
    expect(await pending).toBe(200);
    expect(code).toBe(0);
    expect(other.logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});

describe('invalid configuration', () => {
  it('exits non-zero naming each bad variable and why', async () => {
    const { code, stderr } = await runServiceToExit({ PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/PORT: /);
    expect(stderr).toMatch(/LOG_LEVEL: .*expected one of/);
  });
});
