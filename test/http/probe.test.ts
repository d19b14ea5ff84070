import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { ProberRegistry } from '../../src/probe/index.ts';
import type { Prober, ProbeSpec } from '../../src/probe/types.ts';
import { jsonRequest, testApp, testDeps } from '../helpers/app.ts';
import { testProbeService } from '../helpers/deps.ts';

const PROBLEM = 'application/problem+json';

async function post(body: unknown, overrides = {}) {
  const { app } = testApp(overrides);
  const res = await app.request(jsonRequest('/socket/probe', body));
  return { res, body: (await res.json()) as Record<string, unknown> };
}

async function expectInvalid(body: unknown, path: string, message: RegExp, overrides = {}) {
  const { res, body: problem } = await post(body, overrides);
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toBe(PROBLEM);
  expect(problem.type).toBe('/problems/validation');
  const errors = problem.errors as { path: string; message: string }[];
  expect(errors.find((e) => e.path === path), JSON.stringify(errors)).toMatchObject({ message: expect.stringMatching(message) });
}

describe('POST /socket/probe validation (400 problem+json)', () => {
  it('rejects an unknown protocol', () => expectInvalid({ protocol: 'sctp', host: '127.0.0.1', port: 1 }, 'body.protocol', /tcp/));
  it('rejects a port out of range', () => expectInvalid({ host: '127.0.0.1', port: 65536 }, 'body.port', /65535/));
  it('rejects port 0', () => expectInvalid({ host: '127.0.0.1', port: 0 }, 'body.port', /1/));
  it('rejects a missing port', () => expectInvalid({ host: '127.0.0.1' }, 'body.port', /required/));
  it('rejects a host that is neither an address nor a name', () => expectInvalid({ host: 'bad host!', port: 1 }, 'body.host', /DNS name/));
  it('rejects bad hex', () => expectInvalid({ host: '127.0.0.1', port: 1, send: { hex: 'abc' } }, 'body.send.hex', /hex/));
  it('rejects non-hex characters', () => expectInvalid({ host: '127.0.0.1', port: 1, send: { hex: 'zz' } }, 'body.send.hex', /hex/));
  it('rejects a bad regular expression, naming it', () =>
    expectInvalid({ host: '127.0.0.1', port: 1, expect: 'a(b' }, 'body.expect', /not a valid regular expression.*a\(b/));
  it('rejects an over-long expect', () => expectInvalid({ host: '127.0.0.1', port: 1, expect: 'a'.repeat(1025) }, 'body.expect', /1024/));
  it('rejects unknown or repeated regex flags', () => {
    return Promise.all([
      expectInvalid({ host: '127.0.0.1', port: 1, expect: 'a', expectFlags: 'g' }, 'body.expectFlags', /i, m, s, u/),
      expectInvalid({ host: '127.0.0.1', port: 1, expect: 'a', expectFlags: 'ii' }, 'body.expectFlags', /at most once/),
    ]);
  });
  it('compiles expect as RE2: lookaround and backreferences are refused, saying why', async () => {
    await expectInvalid({ host: '127.0.0.1', port: 1, expect: 'a(?=b)', expectFlags: 'u' }, 'body.expect', /not a valid regular expression for RE2.*no lookaround/);
    await expectInvalid({ host: '127.0.0.1', port: 1, expect: '(a)\\1' }, 'body.expect', /no backreferences/);
  });
  it('rejects readBytes above config.probe.maxReadBytes', () =>
    expectInvalid({ host: '127.0.0.1', port: 1, readBytes: 2048 }, 'body.readBytes', /2048|1024/, { probe: { maxReadBytes: 1024 } }));
  it('rejects a timeout above the maximum', () => expectInvalid({ host: '127.0.0.1', port: 1, timeoutMs: 600_000 }, 'body.timeoutMs', /60000/));
  it('rejects both targets and host', () =>
    expectInvalid({ host: '127.0.0.1', port: 1, targets: [{ host: '127.0.0.1', port: 2 }] }, 'body.host', /not both/));
  it('rejects neither targets nor host', () => expectInvalid({ port: 1 }, 'body', /host and port.*or targets/));
  it('rejects a batch larger than config.probe.maxBatch', () => {
    const targets = Array.from({ length: 11 }, () => ({ host: '127.0.0.1', port: 1 }));
    return expectInvalid({ targets }, 'body.targets', /10/, { probe: { maxBatch: 10 } });
  });
  it('rejects the default 1024 + 1', () => {
    const targets = Array.from({ length: 1025 }, () => ({ host: '127.0.0.1', port: 1 }));
    return expectInvalid({ targets }, 'body.targets', /1024/);
  });
  it('rejects a batch whose responses could take more than the read budget', () => {
    const targets = Array.from({ length: 1000 }, () => ({ host: '127.0.0.1', port: 1, readBytes: 65_536 }));
    return expectInvalid({ targets }, 'body.targets', /limit is 16777216/);
  });
  it('rejects concurrency above config.probe.maxConcurrency', () =>
    expectInvalid({ targets: [{ host: '127.0.0.1', port: 1 }], concurrency: 300 }, 'body.concurrency', /256/));
  it('rejects concurrency for a single probe', () => expectInvalid({ host: '127.0.0.1', port: 1, concurrency: 2 }, 'body.concurrency', /batches/));
  it('names the bad target in a batch', () =>
    expectInvalid({ targets: [{ host: '127.0.0.1', port: 1 }, { host: '127.0.0.1', port: 1, expect: '(' }] }, 'body.targets.1.expect', /regular expression/));
  it('rejects tls options on a tcp probe', () =>
    expectInvalid({ host: '127.0.0.1', port: 1, tls: { insecure: true } }, 'body.tls', /only to protocol tls/));
  it('rejects an IP address as SNI', () =>
    expectInvalid({ protocol: 'tls', host: '127.0.0.1', port: 1, tls: { servername: '127.0.0.1' } }, 'body.tls.servername', /IP/));
  it('rejects a ca that is not valid PEM certificates', () =>
    expectInvalid(
      { protocol: 'tls', host: '127.0.0.1', port: 1, tls: { ca: '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n' } },
      'body.tls.ca',
      /PEM certificates/,
    ));
  it('rejects an IPv4 literal with ipFamily 6', () => expectInvalid({ host: '127.0.0.1', port: 1, ipFamily: 6 }, 'body.ipFamily', /IPv4/));
  it('rejects unknown fields (typos are not ignored)', async () => {
    const { res, body } = await post({ host: '127.0.0.1', port: 1, timeout: 5 });
    expect(res.status).toBe(400);
    expect(JSON.stringify(body.errors)).toContain('timeout');
  });
  it('rejects a body without a JSON content-type with a problem, not a crash', async () => {
    const { app } = testApp();
    const res = await app.request('/socket/probe', { method: 'POST', body: '{"host":"127.0.0.1","port":1}' });
    expect([400, 415]).toContain(res.status);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
  });
});

/** A registry of fakes: the route and the planning are tested without sockets. */
function fakeProbes() {
  const calls: ProbeSpec[] = [];
  const fake: Prober = async (target, options) => {
    calls.push(options as ProbeSpec);
    return target.port % 2 === 0 ? { state: 'open', connectMs: 1 } : { state: 'closed', error: { code: 'REFUSED', message: 'refused' } };
  };
  const registry: ProberRegistry = { tcp: fake, tls: fake, udp: fake };
  const deps = testDeps();
  const app = createApp({ ...deps, probes: testProbeService({ probers: registry }) });
  return { app, calls };
}

describe('POST /socket/probe with fake probers', () => {
  it('a single target answers the ProbeResult object itself, 200 even when the probe failed', async () => {
    const { app } = fakeProbes();
    const res = await app.request(jsonRequest('/socket/probe', { host: '127.0.0.1', port: 3 }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: false, protocol: 'tcp', host: '127.0.0.1', address: '127.0.0.1', port: 3, state: 'closed', error: { code: 'REFUSED' } });
  });

  it('a batch answers results in order and a summary; shared fields apply, targets override them', async () => {
    const { app, calls } = fakeProbes();
    const res = await app.request(
      jsonRequest('/socket/probe', {
        protocol: 'tcp',
        timeoutMs: 1500,
        send: 'x',
        targets: [
          { host: '127.0.0.1', port: 2 },
          { host: '127.0.0.1', port: 3, protocol: 'udp', timeoutMs: 100 },
          { host: '::1', port: 4, send: { hex: '00ff' } },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { port: number; protocol: string; ok: boolean }[]; summary: unknown };
    expect(body.results.map((r) => [r.port, r.protocol, r.ok])).toEqual([
      [2, 'tcp', true],
      [3, 'udp', false],
      [4, 'tcp', true],
    ]);
    expect(body.summary).toMatchObject({ total: 3, ok: 2, failed: 1, byState: { open: 2, closed: 1 } });
    expect(calls.map((c) => c.timeoutMs)).toEqual([1500, 100, 1500]);
    expect(calls.map((c) => c.send?.toString('hex'))).toEqual(['78', '78', '00ff']);
  });

  it('a single target refused by the target policy answers 403 target-denied naming the rule', async () => {
    const { app } = testApp({ policy: { deny: ['127.0.0.0/8'] } });
    const res = await app.request(jsonRequest('/socket/probe', { host: '127.0.0.1', port: 9 }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ type: '/problems/target-denied', detail: expect.stringContaining('127.0.0.0/8') });
  });

  it('in a batch, a refused target is a result with error.code POLICY', async () => {
    const { app } = testApp({ policy: { deny: ['127.0.0.0/8'] } });
    const res = await app.request(jsonRequest('/socket/probe', { targets: [{ host: '127.0.0.1', port: 9 }] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ results: [{ ok: false, state: 'error', error: { code: 'POLICY' } }] });
  });
});

describe('OpenAPI', () => {
  it('documents the request, both response shapes and the error codes', async () => {
    const { app } = testApp();
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.paths['/socket/probe'].post.responses).toHaveProperty('200');
    expect(doc.paths['/socket/probe'].post.responses).toHaveProperty('400');
    for (const name of ['ProbeRequest', 'ProbeTarget', 'ProbeResult', 'ProbeBatchResult', 'ProbeResponseBody', 'ProbeTlsReport', 'CertificateSummary']) {
      expect(doc.components.schemas, name).toHaveProperty(name);
    }
    const text = JSON.stringify(doc.components.schemas);
    for (const code of ['DNS', 'REFUSED', 'RESET', 'TIMEOUT', 'TLS', 'NO_MATCH']) expect(text).toContain(`"${code}"`);
  });
});
