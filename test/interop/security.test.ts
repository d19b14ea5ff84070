import { createHash } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../helpers/service.ts';
import { COMMUNITY_RW, startSnmpd, TEST_USERS, type Snmpd } from '../helpers/snmpd.ts';
import { SseClient } from '../helpers/traps-peers.ts';

/**
 * Issue 7 through the real HTTP server (src/main.ts as a child process), against a real snmpd:
 * tokens and scopes, the SSRF guard, credential profiles, secrets kept out of the logs, metrics.
 */

const READ = 'read-token-7f3a9c2e41d8b6a0';
const WRITE = 'write-token-5c1e8b7d2f9a4e63';
const TRAPS = 'traps-token-9d2b6f1a8c3e7b45';
const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');
const AES_USER = TEST_USERS.aes;

let agent: Snmpd;
let service: RunningService;
let trapProbe: { tcp: Server; udp4: UdpSocket; udp6: UdpSocket; port: number; arrivals: string[] };

async function startCanary(): Promise<typeof trapProbe> {
  const arrivals: string[] = [];
  const tcp = createServer((socket) => {
    arrivals.push(`tcp from ${socket.remoteAddress}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const port = (tcp.address() as { port: number }).port;
  const bindUdp = async (type: 'udp4' | 'udp6', host: string) => {
    const socket = createSocket(type);
    socket.on('message', (_msg, rinfo) => arrivals.push(`udp from ${rinfo.address}`));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => resolve());
    });
    return socket;
  };
  return { tcp, udp4: await bindUdp('udp4', '127.0.0.1'), udp6: await bindUdp('udp6', '::1'), port, arrivals };
}

function configFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netprobe-security-'));
  const file = join(dir, 'netprobe.yaml');
  writeFileSync(
    file,
    [
      'snmp:',
      '  credentials:',
      '    core:',
      '      version: "3"',
      '      user:',
      `        name: ${AES_USER.name}`,
      '        level: authPriv',
      `        authProtocol: ${AES_USER.authProtocol}`,
      '        authKey: { env: CORE_AUTH_KEY }',
      `        privProtocol: ${AES_USER.privProtocol}`,
      `        privKey: { file: ${join(dir, 'core-priv')} }`,
      '    rw:',
      '      version: "2c"',
      '      community: { env: RW_COMMUNITY }',
      '    fenced:',
      '      version: "2c"',
      '      community: public',
      '      targets: ["10.0.0.0/8"]',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'core-priv'), `${AES_USER.privKey}\n`);
  return file;
}

async function call(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

beforeAll(async () => {
  agent = await startSnmpd();
  trapProbe = await startCanary();
  service = await startService({
    LOG_LEVEL: 'debug',
    NETPROBE_CONFIG: configFile(),
    CORE_AUTH_KEY: AES_USER.authKey,
    RW_COMMUNITY: COMMUNITY_RW,
    API_TOKENS: JSON.stringify([
      { name: 'reader', token: READ, scopes: ['read'] },
      { name: 'writer', sha256: sha256(WRITE), scopes: ['read', 'write'] },
      { name: 'trapper', sha256: sha256(TRAPS), scopes: ['traps'] },
    ]),
    TARGET_DENY: `127.0.0.0/8@${trapProbe.port},::1@${trapProbe.port}`,
  });
});

afterAll(async () => {
  await service?.stop('SIGKILL');
  await agent?.stop();
  trapProbe?.tcp.close();
  trapProbe?.udp4.close();
  trapProbe?.udp6.close();
});

const snmpTarget = () => ({ host: agent.host, port: agent.port });

describe('tokens and scopes over real HTTP', () => {
  it('every protected route without a token answers 401 with WWW-Authenticate: Bearer', async () => {
    for (const [method, path] of [
      ['POST', '/snmp/get'],
      ['POST', '/snmp/getnext'],
      ['POST', '/snmp/bulk'],
      ['POST', '/snmp/walk'],
      ['POST', '/snmp/set'],
      ['POST', '/socket/probe'],
      ['POST', '/dhcp/discover'],
      ['GET', '/snmp/traps'],
      ['GET', '/snmp/traps/recent'],
    ]) {
      const res = await call(method, path, method === 'POST' ? {} : undefined);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toMatch(/^Bearer /);
    }
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('GET', '/metrics')).status).toBe(200);
  });

  it('a read token cannot set (403); a write token sets through a credential profile, read back with another', async () => {
    const value = `noc-${Date.now()}@example.net`;
    const body = { ...snmpTarget(), credentials: 'rw', varbinds: [{ oid: 'SNMPv2-MIB::sysContact.0', type: 'OctetString', value }] };
    const denied = await call('POST', '/snmp/set', body, READ);
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ type: '/problems/insufficient-scope' });

    const set = await call('POST', '/snmp/set', body, WRITE);
    expect(set.status, set.text).toBe(200);
    const get = await call('POST', '/snmp/get', { ...snmpTarget(), credentials: 'core', oids: ['SNMPv2-MIB::sysContact.0'] }, READ);
    expect(get.status, get.text).toBe(200);
    expect(get.json.varbinds[0]).toMatchObject({ name: 'SNMPv2-MIB::sysContact.0', value });
  });

  it('a traps token streams events; a read token may not', async () => {
    expect((await call('GET', '/snmp/traps/recent', undefined, READ)).status).toBe(403);
    const client = await SseClient.connect(`${service.baseUrl}/snmp/traps`, { authorization: `Bearer ${TRAPS}` });
    expect(client.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await client.close();
  });
});

describe('credential profiles', () => {
  it('a v3 authPriv profile with secrets from env and a mounted file reaches snmpd', async () => {
    const res = await call('POST', '/snmp/get', { ...snmpTarget(), credentials: 'core', oids: ['SNMPv2-MIB::sysName.0'] }, READ);
    expect(res.status, res.text).toBe(200);
    expect(res.json.varbinds[0]).toMatchObject({ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString' });
  });

  it('a profile restricted to other CIDRs is refused with 403; an unknown profile is 400; profile plus inline secrets is 400', async () => {
    const fenced = await call('POST', '/snmp/get', { ...snmpTarget(), credentials: 'fenced', oids: ['1.3.6.1.2.1.1.5.0'] }, READ);
    expect(fenced.status).toBe(403);
    expect(fenced.json).toMatchObject({ type: '/problems/target-denied', detail: expect.stringContaining('10.0.0.0/8') });
    const unknown = await call('POST', '/snmp/get', { ...snmpTarget(), credentials: 'nope', oids: ['1.3.6.1.2.1.1.5.0'] }, READ);
    expect(unknown.status).toBe(400);
    expect(unknown.json.detail).toMatch(/core, rw, fenced/);
    const mixed = await call('POST', '/snmp/get', { ...snmpTarget(), credentials: 'rw', community: 'x', oids: ['1.3.6.1.2.1.1.5.0'] }, READ);
    expect(mixed.status).toBe(400);
  });
});

describe('target policy (SSRF guard)', () => {
  it('refuses link-local and cloud metadata in every spelling, on every protocol, with 403 naming the rule', async () => {
    for (const host of ['169.254.169.254', '::ffff:169.254.169.254', '0xA9FEA9FE', '2852039166', 'fe80::1']) {
      const snmp = await call('POST', '/snmp/get', { host, oids: ['1.3.6.1.2.1.1.5.0'], timeoutMs: 200, retries: 0 }, READ);
      expect(snmp.status, `snmp ${host}`).toBe(403);
      expect(snmp.json).toMatchObject({ type: '/problems/target-denied', rule: expect.stringMatching(/^default (169\.254\.0\.0\/16|fe80::\/10)$/) });
      const probe = await call('POST', '/socket/probe', { protocol: 'tcp', host, port: 80, timeoutMs: 200 }, READ);
      expect(probe.status, `probe ${host}`).toBe(403);
    }
    const relay = await call('POST', '/dhcp/discover', { mode: 'relay', server: '169.254.169.254', relayAddress: '127.0.0.1', timeoutMs: 200 }, READ);
    expect(relay.status).toBe(403);
    expect(relay.json.type).toBe('/problems/target-denied');
  });

  it('refuses a denied address in any spelling, and a name resolving to it, before any packet is sent', async () => {
    const port = trapProbe.port;
    const spellings = ['127.0.0.1', 'localhost', '0x7F000001', '2130706433', '127.1', '::ffff:127.0.0.1', '::1'];
    for (const host of spellings) {
      const snmp = await call('POST', '/snmp/get', { host, port, oids: ['1.3.6.1.2.1.1.5.0'], timeoutMs: 200, retries: 0 }, READ);
      expect(snmp.status, `snmp ${host}`).toBe(403);
      expect(snmp.json.rule, host).toMatch(/^TARGET_DENY /);
      for (const protocol of ['tcp', 'udp', 'tls']) {
        const probe = await call('POST', '/socket/probe', { protocol, host, port, send: 'hello', timeoutMs: 200 }, READ);
        expect(probe.status, `${protocol} ${host}`).toBe(403);
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(trapProbe.arrivals).toEqual([]);
    // The same listener is reachable when the policy allows it: the refusals above were the guard, not a dead port.
    const allowed = await call('POST', '/socket/probe', { protocol: 'tcp', host: '127.0.0.1', port: agent.port, timeoutMs: 500 }, READ);
    expect(allowed.status).toBe(200);
  });

  it("refuses the service's own HTTP port on loopback", async () => {
    const res = await call('POST', '/socket/probe', { protocol: 'tcp', host: '127.0.0.1', port: service.port, timeoutMs: 200 }, READ);
    expect(res.status).toBe(403);
    expect(res.json.rule).toMatch(/^default 127\.0\.0\.0\/8@/);
  });
});

describe('metrics and logs', () => {
  it('/metrics parses as Prometheus text and SNMP counters move with requests', async () => {
    const count = async (outcome: string) => {
      const families = parsePrometheusTextFormat((await call('GET', '/metrics')).text);
      const family = families.find((f) => f.name === 'netprobe_snmp_requests_total');
      return family?.metrics.filter((m) => m.labels?.operation === 'get' && m.labels?.outcome === outcome).reduce((s, m) => s + Number(m.value), 0) ?? 0;
    };
    const before = await count('ok');
    await call('POST', '/snmp/get', { ...snmpTarget(), credentials: 'core', oids: ['SNMPv2-MIB::sysUpTime.0'] }, READ);
    expect(await count('ok')).toBe(before + 1);
    expect(await count('refused_by_policy')).toBeGreaterThan(0);
    const families = parsePrometheusTextFormat((await call('GET', '/metrics')).text);
    for (const name of ['netprobe_http_requests_total', 'netprobe_probes_total', 'netprobe_traps_received_total', 'netprobe_traps_dropped_total', 'process_resident_memory_bytes']) {
      expect(families.find((f) => f.name === name), name).toBeDefined();
    }
  });

  it('no secret (community, v3 keys, tokens) appears in any log line', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const logs = [...service.logs, ...service.stderr].join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of [AES_USER.authKey, AES_USER.privKey, READ, WRITE, TRAPS]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(new RegExp(`\\b${COMMUNITY_RW}\\b`));
  });
});
