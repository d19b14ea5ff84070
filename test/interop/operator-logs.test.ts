import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { jsonRequest, testDeps } from '../helpers/app.ts';
import { closedPort } from '../helpers/probe-peers.ts';
import { COMMUNITY_RW, startSnmpd, type Snmpd } from '../helpers/snmpd.ts';
import { startService } from '../helpers/service.ts';
import { runSnmpTool } from '../helpers/traps-peers.ts';

/** Logs an operator can use, and the small things that looked broken (issue #16, items 4 and 6). */

const TOKEN = 'writer-token-0123456789abcdef';
let snmpd: Snmpd;

beforeAll(async () => {
  snmpd = await startSnmpd();
});

afterAll(async () => {
  await snmpd?.stop();
});

function loggedApp(overrides = {}) {
  const deps = testDeps({ auth: { tokens: [{ name: 'ops-writer', token: TOKEN, scopes: ['read', 'write', 'traps'] }] }, ...overrides }, 'info');
  return { app: createApp(deps), deps, lines: () => deps.logs.lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

const auth = { headers: { authorization: `Bearer ${TOKEN}` } };

describe('the request line', () => {
  it('names the operation, the target, the outcome and problem type, and the token by name only', async () => {
    const { app, lines, deps } = loggedApp();
    const port = await closedPort('udp');
    await app.request(jsonRequest('/snmp/get', { host: '127.0.0.1', port, oids: ['sysName.0'] }, auth));
    const line = lines().find((l) => l.msg === 'request');
    expect(line).toMatchObject({ operation: '/snmp/get', target: `127.0.0.1:${port}`, status: 502, problem: '/problems/snmp-unreachable', tokenName: 'ops-writer' });
    expect(deps.logs.text()).not.toContain(TOKEN);
  });

  it('a client that goes away is logged as such, not as the 503 nobody received', async () => {
    const { app, lines } = loggedApp();
    const controller = new AbortController();
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const request = jsonRequest('/snmp/get', { host: '127.0.0.1', port: silent.address().port, timeoutMs: 5000, oids: ['sysName.0'] }, { ...auth, signal: controller.signal });
    const pending = Promise.resolve(app.request(request)).catch(() => undefined);
    setTimeout(() => controller.abort(), 100);
    await pending;
    silent.close();
    const line = lines().find((l) => l.msg === 'request');
    expect(line).toMatchObject({ operation: '/snmp/get', outcome: 'client disconnected' });
    expect(line?.status).toBeUndefined();
  });
});

describe('SET audit', () => {
  it('who, which device, which OIDs, the value before and the value the agent confirmed', async () => {
    const { app, lines } = loggedApp();
    const body = { host: '127.0.0.1', port: snmpd.port, community: COMMUNITY_RW, varbinds: [{ oid: 'sysContact.0', type: 'OctetString', value: 'audit@example.net' }] };
    await app.request(jsonRequest('/snmp/set', { ...body, varbinds: [{ ...body.varbinds[0], value: 'before@example.net' }] }, auth));
    const res = await app.request(jsonRequest('/snmp/set', body, auth));
    expect(res.status).toBe(200);
    const audits = lines().filter((l) => l.audit === 'snmp-set');
    expect(audits.at(-1)).toMatchObject({
      level: 'info',
      actor: 'ops-writer',
      target: `127.0.0.1:${snmpd.port}`,
      outcome: 'ok',
      varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', name: 'SNMPv2-MIB::sysContact.0', before: 'before@example.net', after: 'audit@example.net' }],
    });
    expect(JSON.stringify(audits)).not.toContain(COMMUNITY_RW);
  });
});

describe('dropped traps', () => {
  it('are logged with their source and reason, once per reason and interval, however many arrive', async () => {
    const { deps, lines } = loggedApp({ traps: { host: '127.0.0.1', port: 0, communities: ['only-this-one'] } });
    const bound = await deps.traps.start();
    try {
      for (let i = 0; i < 5; i++) await runSnmpTool('snmptrap', ['-v2c', '-c', 'not-that-one', `127.0.0.1:${bound.port}`, '', '1.3.6.1.6.3.1.1.5.1']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(deps.traps.receiver.stats().dropped.unknownCommunity).toBe(5);
      const dropped = lines().filter((l) => l.msg === 'trap datagrams dropped');
      expect(dropped).toHaveLength(1);
      expect(dropped[0]).toMatchObject({ level: 'warn', reason: 'unknownCommunity', source: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    } finally {
      await deps.traps.close();
    }
  });
});

describe('small things', () => {
  it('the trap listener binds where HOST says unless TRAP_HOST says otherwise', () => {
    const host = (env: Record<string, string>) => (loadConfig(env) as { ok: true; config: { traps: { host: string } } }).config.traps.host;
    expect(host({})).toBe('::');
    expect(host({ HOST: '127.0.0.1' })).toBe('127.0.0.1');
    expect(host({ HOST: '0.0.0.0' })).toBe('::');
    expect(host({ HOST: '127.0.0.1', TRAP_HOST: '::1' })).toBe('::1');
  });

  it('CORS_ORIGINS lets those pages call the API and open the stream, preflight included; others get no grant', async () => {
    const { app } = loggedApp({ http: { corsOrigins: ['http://console.example'] } });
    const preflight = await app.request('/snmp/get', {
      method: 'OPTIONS',
      headers: { origin: 'http://console.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://console.example');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const recent = await app.request('/snmp/traps/recent', { headers: { origin: 'http://console.example', ...auth.headers } });
    expect(recent.headers.get('access-control-allow-origin')).toBe('http://console.example');
    const other = await app.request('/snmp/traps/recent', { headers: { origin: 'http://elsewhere.example', ...auth.headers } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('MIB loading, in the real service', () => {
  it('logs one clear line per skipped file: which import is missing, or which line does not parse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netprobe-mibs-skipped-'));
    writeFileSync(join(dir, 'ORPHAN-MIB.txt'), 'ORPHAN-MIB DEFINITIONS ::= BEGIN\nIMPORTS nope FROM NOPE-MIB;\norphan OBJECT IDENTIFIER ::= { nope 1 }\nEND\n');
    writeFileSync(join(dir, 'BROKEN-MIB.txt'), 'BROKEN-MIB DEFINITIONS ::= BEGIN\nbroken OBJECT IDENTIFIER ::= {\n');
    const service = await startService({ SNMP_MIB_DIRS: dir });
    try {
      const skipped = service.logs.map((line) => JSON.parse(line) as Record<string, any>).filter((l) => String(l.msg).startsWith('MIB file skipped'));
      expect(skipped).toHaveLength(2);
      expect(skipped.find((l) => l.file.endsWith('ORPHAN-MIB.txt'))?.msg).toMatch(/^MIB file skipped: .*ORPHAN-MIB\.txt: ORPHAN-MIB: line 2: ORPHAN-MIB imports from NOPE-MIB, which is not loaded$/);
      expect(skipped.find((l) => l.file.endsWith('BROKEN-MIB.txt'))?.msg).toMatch(/^MIB file skipped: .*BROKEN-MIB\.txt: line \d+: /);
      expect(service.logs.join('\n')).not.toContain('Cannot read properties');
    } finally {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
