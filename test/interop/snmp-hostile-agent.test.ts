import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../helpers/service.ts';
import {
  encodeResponse,
  encodeV1Trap,
  encodeV3Response,
  orderedTree,
  PDU,
  startFakeAgent,
  type FakeAgent,
  type FakeReply,
  type FakeRequest,
  type FakeVarbind,
} from '../helpers/snmp-fake-agent.ts';

/**
 * The standing hostile-agent campaign: a scripted agent on 127.0.0.1 answers the real service process with
 * what no agent should send. Each case asserts that the process stays up, that the answer comes in bounded
 * time, and that it is the right problem type.
 */

const ROOT = '1.3.6.1.4.1.99999';
const TIMEOUT_MS = 3000;
/** An answer well before the timeout: the reply was recognised, not waited out. */
const PROMPT_MS = 1500;

let agent: FakeAgent;
let service: RunningService;

beforeAll(async () => {
  agent = await startFakeAgent(orderedTree(ROOT, 10));
  service = await startService();
});

afterEach(async () => {
  agent.setHandler(orderedTree(ROOT, 10));
  await expectAlive();
});

afterAll(async () => {
  await service?.stop();
  await agent?.stop();
});

async function post(path: string, body: Record<string, unknown>) {
  const started = performance.now();
  const res = await fetch(`${service.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ host: '127.0.0.1', port: agent.port, timeoutMs: TIMEOUT_MS, retries: 0, ...body }),
  });
  return { status: res.status, json: (await res.json()) as any, ms: performance.now() - started };
}

async function expectAlive() {
  expect(service.child.exitCode, service.stderr.join('')).toBeNull();
  const health = await fetch(`${service.baseUrl}/healthz`);
  expect(health.status).toBe(200);
  const ok = await post('/snmp/get', { oids: [`${ROOT}.1`] });
  expect(ok.status).toBe(200);
}

const response = (varbinds: FakeVarbind[], pduTag?: number) => (req: FakeRequest): FakeReply => encodeResponse(req, { varbinds }, pduTag);
const one = (type: number, value: FakeVarbind['value']): FakeVarbind[] => [
  { oid: `${ROOT}.1`, type: 2, value: 1 },
  { oid: `${ROOT}.2`, type, value },
];

describe('PDUs that are not a Response', () => {
  it.each([
    ['a Report PDU (v2c)', PDU.report, '2c'],
    ['a Report PDU (v1)', PDU.report, '1'],
    ['a GetRequest PDU', PDU.get, '2c'],
    ['an SNMPv2-Trap PDU with the request id', PDU.trapV2, '2c'],
  ] as const)('%s: a prompt 502 snmp-protocol, and the process lives', async (_label, pduTag, version) => {
    agent.setHandler(response([{ oid: `${ROOT}.1`, type: 2, value: 1 }], pduTag));
    const res = await post('/snmp/get', { version, oids: [`${ROOT}.1`] });
    expect(res.status, JSON.stringify(res.json)).toBe(502);
    expect(res.json).toMatchObject({ type: '/problems/snmp-protocol', snmp: { reason: 'unexpectedPdu' } });
    expect(res.ms).toBeLessThan(PROMPT_MS);
  });

  it('an SNMPv1 Trap-PDU (no request id) is not an answer: 504 after the timeout', async () => {
    agent.setHandler((req) => encodeV1Trap(req));
    const res = await post('/snmp/get', { oids: [`${ROOT}.1`], timeoutMs: 300 });
    expect(res.status).toBe(504);
    expect(res.json.type).toBe('/problems/snmp-timeout');
  });

  it('an authenticated SNMPv3 message carrying the v2c request id is dropped: 504, no crash', async () => {
    agent.setHandler((req) => encodeV3Response(req.requestId, [{ oid: `${ROOT}.1`, type: 2, value: 1 }]));
    const res = await post('/snmp/get', { oids: [`${ROOT}.1`], timeoutMs: 300 });
    expect(res.status).toBe(504);
  });

  it('a walk answered with Report PDUs fails promptly as snmp-protocol', async () => {
    agent.setHandler(response([{ oid: `${ROOT}.1`, type: 2, value: 1 }], PDU.report));
    const res = await post('/snmp/walk', { oid: ROOT });
    expect(res.status).toBe(502);
    expect(res.json.type).toBe('/problems/snmp-protocol');
  });
});

describe('undecodable varbinds: a prompt 502 snmp-protocol naming the varbind', () => {
  it.each([
    ['a 41-byte Integer', 0x02, Buffer.alloc(41, 1)],
    ['a 5-byte IpAddress', 0x40, Buffer.from([10, 0, 0, 1, 9])],
    ['an empty Counter32', 0x41, Buffer.alloc(0)],
    ['an unknown tag', 0x47, Buffer.from([1])],
    ['an empty OID value', 0x06, Buffer.alloc(0)],
    ['a 40-byte Counter64', 0x46, Buffer.alloc(40, 0xff)],
    ['a value nested 500 sequences deep', 0x30, Buffer.concat(Array.from({ length: 500 }, () => Buffer.from([0x30, 0x00])))],
  ] as const)('%s', async (_label, type, value) => {
    agent.setHandler(response(one(type, value)));
    for (const path of ['/snmp/get', '/snmp/bulk', '/snmp/walk']) {
      const body = path === '/snmp/walk' ? { oid: ROOT } : { oids: [`${ROOT}.1`, `${ROOT}.2`] };
      const res = await post(path, body);
      expect(res.status, `${path} ${JSON.stringify(res.json)}`).toBe(502);
      expect(res.json).toMatchObject({ type: '/problems/snmp-protocol', snmp: { reason: 'undecodable', index: 2, oid: `${ROOT}.2` } });
      expect(res.json.detail).toContain(`varbind 2 (${ROOT}.2)`);
      expect(res.ms).toBeLessThan(PROMPT_MS);
    }
  });
});

describe('framing', () => {
  it('an enormous declared length is dropped: 504', async () => {
    agent.setHandler(() => Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]));
    const res = await post('/snmp/get', { oids: [`${ROOT}.1`], timeoutMs: 300 });
    expect(res.status).toBe(504);
  });

  it('a varbind list whose length runs past the datagram: 502 or 504, never 500', async () => {
    agent.setHandler((req) => {
      const valid = encodeResponse(req, { varbinds: [{ oid: `${ROOT}.1`, type: 4, value: 'x'.repeat(50) }] });
      return valid.subarray(0, valid.length - 20);
    });
    const res = await post('/snmp/get', { oids: [`${ROOT}.1`], timeoutMs: 300 });
    expect([502, 504]).toContain(res.status);
  });
});

describe('replies that are not from the agent asked', () => {
  it.each(['/snmp/get', '/snmp/bulk', '/snmp/walk'])('%s: a reply from another source port is ignored (504)', async (path) => {
    agent.setHandler((req) => ({ fromOtherPort: encodeResponse(req, orderedTree(ROOT, 10)(req)) }));
    const body = path === '/snmp/walk' ? { oid: ROOT } : { oids: [`${ROOT}.1`] };
    const res = await post(path, { ...body, timeoutMs: 300 });
    expect(res.status).toBe(504);
  });

  it('ten replies to one request: the first is the answer, the rest are ignored', async () => {
    agent.setHandler((req) => Array.from({ length: 10 }, (_, i) => encodeResponse(req, { varbinds: [{ oid: `${ROOT}.1`, type: 2, value: i }] })));
    const res = await post('/snmp/get', { oids: [`${ROOT}.1`] });
    expect(res.status).toBe(200);
    expect(res.json.varbinds[0].value).toBe(0);
  });

  it('a reply with a wrong request id is ignored (504)', async () => {
    agent.setHandler((req) => encodeResponse({ ...req, requestId: req.requestId ^ 0x5a5a }, { varbinds: [{ oid: `${ROOT}.1`, type: 2, value: 1 }] }));
    const res = await post('/snmp/get', { oids: [`${ROOT}.1`], timeoutMs: 300 });
    expect(res.status).toBe(504);
  });
});

describe('an endless subtree', () => {
  it('endless increasing OIDs: the walk stops at maxVarbinds, truncated, in bounded time', async () => {
    agent.setHandler((req) => {
      const after = req.oids[0];
      const last = Number(after.slice(ROOT.length + 1).split('.')[0] || 0);
      const varbinds = Array.from({ length: Math.max(1, req.maxRepetitions) }, (_, i) => ({ oid: `${ROOT}.${last + i + 1}`, type: 2, value: i }));
      return { varbinds };
    });
    const res = await post('/snmp/walk', { oid: ROOT, maxVarbinds: 5000, maxRepetitions: 50 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ truncated: true, stopReason: 'maxVarbinds' });
    expect(res.json.varbinds).toHaveLength(5000);
  });
});

describe('a SET too large for a datagram', () => {
  it('a 64 KB Opaque is a 400 (nothing is sent), not a 502', async () => {
    const res = await post('/snmp/set', { varbinds: [{ oid: `${ROOT}.1`, type: 'Opaque', value: { hex: 'ab'.repeat(65_536) } }] });
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json.type).toBe('/problems/invalid-request');
    expect(agent.requests.filter((r) => r.pduType === PDU.set)).toHaveLength(0);
  });
});
