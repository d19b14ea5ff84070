import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.ts';
import { snmpRequestSchemas } from '../../src/snmp/schemas.ts';
import type { SnmpService } from '../../src/snmp/service.ts';
import { testSnmpService } from '../helpers/deps.ts';
import { startSnmpd, TEST_USERS, type Snmpd } from '../helpers/snmpd.ts';
import { orderedTree, startFakeAgent, type FakeAgent } from '../helpers/snmp-fake-agent.ts';

/** Session pooling: reuse per target and credentials, idle eviction, retirement after failures, and a bound. */

const ROOT = '1.3.6.1.4.1.99999';
const { get: SnmpGetRequestSchema, walk: SnmpWalkRequestSchema } = snmpRequestSchemas(defaultConfig().snmp);
let agent: FakeAgent;
let snmpd: Snmpd;
const services: SnmpService[] = [];

function service(options: { sessionIdleMs?: number; maxSessions?: number } = {}) {
  const created = testSnmpService({ sessions: { idleMs: options.sessionIdleMs, maxSessions: options.maxSessions } });
  services.push(created);
  return created;
}

const get = (port: number, extra: Record<string, unknown> = {}) =>
  SnmpGetRequestSchema.parse({ host: '127.0.0.1', port, oids: [`${ROOT}.1`], timeoutMs: 2000, retries: 0, ...extra });

beforeAll(async () => {
  agent = await startFakeAgent(orderedTree(ROOT, 10));
  snmpd = await startSnmpd();
});

afterEach(() => {
  agent.requests.length = 0;
  agent.setHandler(orderedTree(ROOT, 10));
  for (const s of services.splice(0)) s.close();
});

afterAll(async () => {
  await agent?.stop();
  await snmpd?.stop();
});

const ports = () => new Set(agent.requests.map((r) => r.peerPort));

describe('session pool', () => {
  it('reuses one session (one source port) for the same target and credentials', async () => {
    const snmp = service();
    for (let i = 0; i < 5; i++) await snmp.getNext(get(agent.port));
    await Promise.all(Array.from({ length: 20 }, () => snmp.getNext(get(agent.port))));
    expect(agent.requests).toHaveLength(25);
    expect(ports().size).toBe(1);
  });

  it('keeps different credentials apart', async () => {
    const snmp = service();
    await snmp.getNext(get(agent.port, { community: 'one' }));
    await snmp.getNext(get(agent.port, { community: 'two' }));
    await snmp.getNext(get(agent.port, { community: 'one' }));
    expect(agent.requests.map((r) => r.community)).toEqual(['one', 'two', 'one']);
    expect(ports().size).toBe(2);
    expect(agent.requests[0].peerPort).toBe(agent.requests[2].peerPort);
  });

  it('closes idle sessions', async () => {
    const snmp = service({ sessionIdleMs: 30 });
    await snmp.getNext(get(agent.port));
    await new Promise((r) => setTimeout(r, 80));
    await snmp.getNext(get(agent.port));
    expect(ports().size).toBe(2);
  });

  it('retires a session after a timeout', async () => {
    const snmp = service();
    agent.setHandler(() => null);
    await expect(snmp.getNext(get(agent.port, { timeoutMs: 200 }))).rejects.toMatchObject({ code: 'TIMEOUT' });
    agent.setHandler(orderedTree(ROOT, 10));
    await snmp.getNext(get(agent.port, { timeoutMs: 200 }));
    expect(ports().size).toBe(2);
  });

  it('keeps a session after an agent error-status', async () => {
    const snmp = service();
    agent.setHandler((req) => ({ errorStatus: 2, errorIndex: 1, varbinds: req.oids.map((oid) => ({ oid, type: 5 })) }));
    await expect(snmp.getNext(get(agent.port))).rejects.toMatchObject({ code: 'AGENT_ERROR' });
    agent.setHandler(orderedTree(ROOT, 10));
    await snmp.getNext(get(agent.port));
    expect(ports().size).toBe(1);
  });

  it('beyond maxSessions, requests still work with one-off sessions', async () => {
    const snmp = service({ maxSessions: 1 });
    agent.setHandler(async (req) => {
      await new Promise((r) => setTimeout(r, 20));
      return orderedTree(ROOT, 10)(req);
    });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((community) => snmp.getNext(get(agent.port, { community }))));
    expect(results.every((r) => r.varbinds.length === 1)).toBe(true);
  });

  it('a walk and gets share nothing they should not: walk sessions accept out-of-order answers, gets reject them', async () => {
    const snmp = service();
    const walk = snmp.walk(SnmpWalkRequestSchema.parse({ host: '127.0.0.1', port: agent.port, oid: ROOT, timeoutMs: 2000, retries: 0 }));
    const seen: string[] = [];
    for await (const vb of walk) seen.push(vb.oid);
    expect(seen).toHaveLength(10);
    await snmp.getNext(get(agent.port));
    expect(ports().size).toBe(2);
  });

  it('200 concurrent v3 authPriv requests on one pooled session against snmpd all succeed', async () => {
    const snmp = service();
    const { writable: _w, ...user } = TEST_USERS.aes;
    const request = SnmpGetRequestSchema.parse({ host: '127.0.0.1', port: snmpd.port, version: '3', user, oids: ['sysName.0', 'sysDescr.0'] });
    const results = await Promise.all(Array.from({ length: 200 }, () => snmp.get(request)));
    for (const result of results) expect(result.varbinds[0].value).toBe('netprobe-test-agent');
  });
});
