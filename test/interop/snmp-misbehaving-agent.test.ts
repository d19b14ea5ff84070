import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { defaultConfig } from '../../src/config.ts';
import { snmpRequestSchemas } from '../../src/snmp/schemas.ts';
import { testDeps } from '../helpers/app.ts';
import { testSnmpService } from '../helpers/deps.ts';
import { encodeResponse, orderedTree, PDU, startFakeAgent, type FakeAgent, type FakeRequest } from '../helpers/snmp-fake-agent.ts';

/** Agent behaviour a healthy snmpd never shows, from a scripted UDP peer on 127.0.0.1. */

const ROOT = '1.3.6.1.4.1.99999';
let agent: FakeAgent;
let app: App;
const snmp = testSnmpService();
const { walk: SnmpWalkRequestSchema } = snmpRequestSchemas(defaultConfig().snmp);

beforeAll(async () => {
  agent = await startFakeAgent(orderedTree(ROOT, 10));
  app = createApp(testDeps());
});

afterEach(() => {
  agent.requests.length = 0;
  agent.setHandler(orderedTree(ROOT, 10));
});

afterAll(async () => {
  await agent?.stop();
});

async function post(path: string, body: Record<string, unknown>) {
  const res = await app.request(
    new Request(`http://localhost${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ host: '127.0.0.1', port: agent.port, timeoutMs: 300, retries: 0, ...body }),
    }),
  );
  return { status: res.status, json: (await res.json()) as any };
}

describe('walk termination', () => {
  it('walks the fake subtree to its end', async () => {
    const res = await post('/snmp/walk', { oid: ROOT, maxRepetitions: 4 });
    expect(res.status).toBe(200);
    expect(res.json.varbinds.map((v: { oid: string }) => v.oid)).toEqual(Array.from({ length: 10 }, (_, i) => `${ROOT}.${i + 1}`));
    expect(res.json.stopReason).toBe('endOfMibView');
  });

  it('stops on a repeated OID inside one response, keeps what came before, and reports it', async () => {
    agent.setHandler((req) => ({
      varbinds: [
        { oid: `${ROOT}.1`, type: 2, value: 1 },
        { oid: `${ROOT}.2`, type: 2, value: 2 },
        { oid: `${ROOT}.2`, type: 2, value: 2 },
        { oid: `${ROOT}.3`, type: 2, value: 3 },
      ].slice(0, req.maxRepetitions),
    }));
    const res = await post('/snmp/walk', { oid: ROOT });
    expect(res.status).toBe(200);
    expect(res.json.varbinds.map((v: { oid: string }) => v.oid)).toEqual([`${ROOT}.1`, `${ROOT}.2`]);
    expect(res.json).toMatchObject({ truncated: false, stopReason: 'nonIncreasingOid', nonIncreasingOid: { previous: `${ROOT}.2`, received: `${ROOT}.2` } });
  });

  it('stops when the agent goes backwards between requests instead of looping', async () => {
    // Always answers the same two varbinds, whatever was asked: a naive walker would loop forever.
    agent.setHandler(() => ({ varbinds: [{ oid: `${ROOT}.1`, type: 2, value: 1 }, { oid: `${ROOT}.2`, type: 2, value: 2 }] }));
    const res = await post('/snmp/walk', { oid: ROOT, maxRepetitions: 2 });
    expect(res.status).toBe(200);
    expect(res.json.varbinds).toHaveLength(2);
    expect(res.json).toMatchObject({ stopReason: 'nonIncreasingOid', nonIncreasingOid: { previous: `${ROOT}.2`, received: `${ROOT}.1` } });
    expect(agent.requests.length).toBe(2);
  });

  it('v1 walk uses GETNEXT and stops the same way', async () => {
    agent.setHandler(() => ({ varbinds: [{ oid: `${ROOT}.5`, type: 2, value: 5 }] }));
    const res = await post('/snmp/walk', { version: '1', oid: ROOT });
    expect(res.json).toMatchObject({ stopReason: 'nonIncreasingOid' });
    expect(agent.requests.every((r) => r.pduType === PDU.getNext)).toBe(true);
  });

  it('a GETBULK whose answer goes backwards is a 502 protocol error', async () => {
    agent.setHandler(() => ({ varbinds: [{ oid: `${ROOT}.9`, type: 2, value: 1 }, { oid: `${ROOT}.3`, type: 2, value: 2 }] }));
    const res = await post('/snmp/bulk', { oids: [ROOT], maxRepetitions: 2 });
    expect(res.status).toBe(502);
    expect(res.json.type).toBe('/problems/snmp-protocol');
  });
});

describe('tooBig', () => {
  const tooBigAbove = (limit: number) => (req: FakeRequest) =>
    req.pduType === PDU.getBulk && req.maxRepetitions > limit ? { errorStatus: 1, varbinds: req.oids.map((oid) => ({ oid, type: 5 })) } : orderedTree(ROOT, 10)(req);

  it('a walk retries with fewer repetitions, then keeps going', async () => {
    agent.setHandler(tooBigAbove(3));
    const res = await post('/snmp/walk', { oid: ROOT, maxRepetitions: 25 });
    expect(res.status).toBe(200);
    expect(res.json.varbinds).toHaveLength(10);
    const asked = agent.requests.map((r) => r.maxRepetitions);
    expect(asked.slice(0, 4)).toEqual([25, 12, 6, 3]);
    expect(asked.slice(4).every((reps) => reps === 3)).toBe(true);
  });

  it('bulk retries with fewer repetitions', async () => {
    agent.setHandler(tooBigAbove(2));
    const res = await post('/snmp/bulk', { oids: [ROOT], maxRepetitions: 10 });
    expect(res.status).toBe(200);
    expect(res.json.varbinds).toHaveLength(2);
  });

  it('tooBig even with one repetition is a 422 with the status', async () => {
    agent.setHandler(tooBigAbove(0));
    const res = await post('/snmp/walk', { oid: ROOT });
    expect(res.status).toBe(422);
    expect(res.json.snmp.status).toBe('tooBig');
  });
});

describe('values at the edges', () => {
  it('Counter64 2^64-1 is exact', async () => {
    agent.setHandler(() => ({ varbinds: [{ oid: `${ROOT}.1`, type: 0x46, value: Buffer.from('00ffffffffffffffff', 'hex') }] }));
    const res = await post('/snmp/get', { oids: [`${ROOT}.1`] });
    expect(res.status).toBe(200);
    expect(res.json.varbinds[0]).toMatchObject({ type: 'Counter64', value: '18446744073709551615' });
  });

  it('binary OctetStrings, Opaque and unnamed OIDs', async () => {
    agent.setHandler(() => ({
      varbinds: [
        { oid: '1.3.6.1.2.1.2.2.1.6.7', type: 4, value: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]) },
        { oid: `${ROOT}.2`, type: 0x44, value: Buffer.from([0x9f, 0x78, 0x04, 0x3f, 0x80, 0, 0]) },
        { oid: '2.5.4.3', type: 4, value: 'plain text' },
      ],
    }));
    const res = await post('/snmp/get', { oids: ['ifPhysAddress.7', `${ROOT}.2`, '2.5.4.3'] });
    expect(res.status).toBe(200);
    expect(res.json.varbinds).toEqual([
      { oid: '1.3.6.1.2.1.2.2.1.6.7', name: 'IF-MIB::ifPhysAddress.7', type: 'OctetString', value: 'deadbeef0001', encoding: 'hex', display: 'de:ad:be:ef:00:01' },
      { oid: `${ROOT}.2`, name: 'SNMPv2-SMI::enterprises.99999.2', type: 'Opaque', value: '9f78043f800000', encoding: 'hex' },
      { oid: '2.5.4.3', type: 'OctetString', value: 'plain text' },
    ]);
  });
});

describe('garbage from the agent never crashes the process', () => {
  const GATEWAY_ERROR = [502, 504];
  const garbage: [string, number[], (req: FakeRequest) => Buffer | Buffer[]][] = [
    ['random bytes', GATEWAY_ERROR, () => Buffer.from('this is not BER at all \x00\xff\x30\x82')],
    ['an empty datagram', GATEWAY_ERROR, () => Buffer.alloc(0)],
    ['a huge declared length', GATEWAY_ERROR, () => Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01])],
    [
      'every truncation of a valid response',
      GATEWAY_ERROR,
      (req) => {
        const valid = encodeResponse(req, { varbinds: [{ oid: `${ROOT}.1.2.3.4.5`, type: 6, value: '1.3.6.1.2.1.1.1' }] });
        return Array.from({ length: valid.length - 1 }, (_, n) => valid.subarray(0, n));
      },
    ],
    [
      // The BER decoder drops the unterminated arc: no crash and no hang, whatever it makes of it.
      'an unterminated OID arc inside a well-framed response',
      [200, ...GATEWAY_ERROR],
      (req) => {
        const valid = encodeResponse(req, { varbinds: [{ oid: `${ROOT}.1`, type: 6, value: '1.3.6.1.4.1.300000' }] });
        const broken = Buffer.from(valid);
        broken[broken.length - 1] |= 0x80;
        return broken;
      },
    ],
    ['a response with a wrong version', GATEWAY_ERROR, (req) => encodeResponse({ ...req, version: 0 }, { varbinds: [{ oid: `${ROOT}.1`, type: 2, value: 1 }] })],
    ['a response with another community', GATEWAY_ERROR, (req) => encodeResponse({ ...req, community: 'other' }, { varbinds: [{ oid: `${ROOT}.1`, type: 2, value: 1 }] })],
  ];

  it.each(garbage)('%s → no 500, no crash, and the next request works', async (_label, statuses, reply) => {
    agent.setHandler(reply);
    for (const path of ['/snmp/get', '/snmp/walk']) {
      const res = await post(path, path === '/snmp/walk' ? { oid: ROOT } : { oids: [`${ROOT}.1`] });
      expect(statuses, `${path}: ${JSON.stringify(res.json)}`).toContain(res.status);
      expect(JSON.stringify(res.json)).not.toContain('other');
    }
    agent.setHandler(orderedTree(ROOT, 10));
    const ok = await post('/snmp/walk', { oid: ROOT });
    expect(ok.status).toBe(200);
  });
});

describe('NDJSON streaming against a failing agent', () => {
  async function streamWalk(signal?: AbortSignal) {
    return app.request(
      new Request('http://localhost/snmp/walk', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
        body: JSON.stringify({ host: '127.0.0.1', port: agent.port, timeoutMs: 200, retries: 0, oid: ROOT, maxRepetitions: 2 }),
        signal,
      }),
    );
  }

  it('an error after the first varbinds ends the stream with an error line', async () => {
    let calls = 0;
    agent.setHandler((req) => (++calls === 1 ? orderedTree(ROOT, 10)(req) : null));
    const res = await streamWalk();
    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.slice(0, 2).map((l) => l.oid)).toEqual([`${ROOT}.1`, `${ROOT}.2`]);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ error: { type: '/problems/snmp-timeout', status: 504 } });
  });

  it('a client that disconnects stops the walk: no request is sent afterwards', async () => {
    agent.setHandler(async (req) => {
      await new Promise((r) => setTimeout(r, 10));
      return orderedTree(ROOT, 100_000)(req);
    });
    const controller = new AbortController();
    const res = await streamWalk(controller.signal);
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => {});
    await new Promise((r) => setTimeout(r, 50));
    const sent = agent.requests.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(agent.requests.length).toBe(sent);
    expect(sent).toBeLessThan(50);
  });
});

describe('cancellation', () => {
  it('breaking out of a walk closes the session: no request is sent afterwards', async () => {
    agent.setHandler(async (req) => {
      await new Promise((r) => setTimeout(r, 20));
      return orderedTree(ROOT, 1000)(req);
    });
    const controller = new AbortController();
    const walk = snmp.walk(SnmpWalkRequestSchema.parse({ host: '127.0.0.1', port: agent.port, oid: ROOT, maxRepetitions: 2 }), {
      signal: controller.signal,
    });
    let seen = 0;
    for await (const _vb of walk) {
      if (++seen === 5) break;
    }
    await new Promise((r) => setTimeout(r, 50));
    const sent = agent.requests.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(agent.requests.length).toBe(sent);
  });

  it('aborting the signal mid-request ends the walk with a CANCELLED error and stops traffic', async () => {
    agent.setHandler(async (req) => {
      await new Promise((r) => setTimeout(r, 50));
      return orderedTree(ROOT, 1000)(req);
    });
    const controller = new AbortController();
    const walk = snmp.walk(SnmpWalkRequestSchema.parse({ host: '127.0.0.1', port: agent.port, oid: ROOT, maxRepetitions: 1, timeoutMs: 5000 }), {
      signal: controller.signal,
    });
    await walk.next();
    setTimeout(() => controller.abort(), 10);
    await expect(
      (async () => {
        for (;;) if ((await walk.next()).done) return;
      })(),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    // A request sent just before the abort may still be on its way to the agent.
    await new Promise((r) => setTimeout(r, 50));
    const sent = agent.requests.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(agent.requests.length).toBe(sent);
  });
});
