import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../helpers/service.ts';

/**
 * The SSRF canary suite (issue #11): the real service, with loopback denied, is asked to reach canary
 * listeners on 127.0.0.1 and ::1 through every spelling of a local address and every route that connects.
 * Each request must be refused, and nothing may arrive at any canary (no TCP accept, no UDP datagram).
 * Only loopback and the spellings the kernel maps to it (`0.0.0.0`, `::`) are used.
 */

const DENY_V4 = 'TARGET_DENY 127.0.0.0/8';
const DENY_V6 = 'TARGET_DENY ::1/128';

/** Spellings that reach 127.0.0.1: the unspecified address and its inet_aton/IPv4-mapped forms, then loopback itself. */
const IPV4_SPELLINGS = [
  '0.0.0.0',
  '0',
  '0x0',
  '00',
  '0.0',
  '::ffff:0.0.0.0',
  '::ffff:0:0',
  '[::ffff:0.0.0.0]',
  '127.0.0.1',
  '0x7F000001',
  '2130706433',
  '127.1',
  '::ffff:127.0.0.1',
];
/** Spellings that reach ::1. */
const IPV6_SPELLINGS = ['::', '[::]', '::0', '0:0:0:0:0:0:0:0', '::1', '[::1]'];

interface Canary {
  port: number;
  arrivals: string[];
  close(): Promise<void>;
}

let canary: Canary;
let service: RunningService;

/** TCP and UDP listeners on 127.0.0.1 and ::1, all on one ephemeral port, recording whatever arrives. */
async function startCanary(): Promise<Canary> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await bindCanary();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw err;
    }
  }
}

async function bindCanary(): Promise<Canary> {
  const arrivals: string[] = [];
  const tcpServers: Server[] = [];
  const udpSockets: UdpSocket[] = [];
  const closeAll = async () => {
    await Promise.all(tcpServers.map((s) => new Promise((resolve) => s.close(resolve))));
    await Promise.all(udpSockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };
  const listenTcp = (host: string, port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = createServer((socket) => {
        arrivals.push(`tcp ${host} from ${socket.remoteAddress}`);
        socket.destroy();
      });
      server.once('error', reject);
      server.listen(port, host, () => {
        tcpServers.push(server);
        resolve((server.address() as { port: number }).port);
      });
    });
  const bindUdp = (type: 'udp4' | 'udp6', host: string, port: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = createSocket(type);
      socket.on('message', (_msg, rinfo) => arrivals.push(`udp ${host} from ${rinfo.address}`));
      socket.once('error', reject);
      socket.bind(port, host, () => {
        udpSockets.push(socket);
        resolve();
      });
    });
  try {
    const port = await listenTcp('127.0.0.1', 0);
    await listenTcp('::1', port);
    await bindUdp('udp4', '127.0.0.1', port);
    await bindUdp('udp6', '::1', port);
    return { port, arrivals, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

async function post(path: string, body: unknown) {
  const res = await fetch(`${service.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined, text };
}

/** Every single-target request that would send packets to host:port, by route. */
function connectingRequests(host: string, port: number): [string, string, unknown][] {
  const snmp = { host, port, timeoutMs: 300, retries: 0 };
  return [
    ['tcp probe', '/socket/probe', { protocol: 'tcp', host, port, send: 'canary', timeoutMs: 300 }],
    ['udp probe', '/socket/probe', { protocol: 'udp', host, port, send: 'canary', timeoutMs: 300 }],
    ['tls probe', '/socket/probe', { protocol: 'tls', host, port, timeoutMs: 300 }],
    ['snmp get', '/snmp/get', { ...snmp, oids: ['1.3.6.1.2.1.1.5.0'] }],
    ['snmp getnext', '/snmp/getnext', { ...snmp, oids: ['1.3.6.1.2.1.1.5'] }],
    ['snmp bulk', '/snmp/bulk', { ...snmp, oids: ['1.3.6.1.2.1.1'] }],
    ['snmp walk', '/snmp/walk', { ...snmp, oid: '1.3.6.1.2.1.1' }],
    ['snmp set', '/snmp/set', { ...snmp, varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'OctetString', value: 'canary' }] }],
  ];
}

async function expectRefusedEverywhere(host: string, rule: string | RegExp): Promise<void> {
  const answers = await Promise.all(
    connectingRequests(host, canary.port).map(async ([label, path, body]) => ({ label, res: await post(path, body) })),
  );
  for (const { label, res } of answers) {
    expect(res.status, `${label} ${host}: ${res.text}`).toBe(403);
    expect(res.json.type, `${label} ${host}`).toBe('/problems/target-denied');
    expect(res.json.rule, `${label} ${host}`).toMatch(rule);
  }
}

/** Lets any packet that did leave reach the canary before it is read. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
const exactly = (rule: string) => new RegExp(`^${rule.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);

beforeAll(async () => {
  canary = await startCanary();
  service = await startService({ TARGET_DENY: '127.0.0.0/8,::1/128' });
});

afterAll(async () => {
  await service?.stop('SIGKILL');
  await canary?.close();
});

describe('the canaries themselves', () => {
  it('record a TCP accept and a UDP datagram on 127.0.0.1 and on ::1', async () => {
    for (const host of ['127.0.0.1', '::1']) {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(canary.port, host, () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      });
      const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      await new Promise<void>((resolve, reject) => udp.send('ping', canary.port, host, (err) => (err ? reject(err) : resolve())));
      udp.close();
    }
    await settle();
    expect(canary.arrivals.sort()).toEqual(
      ['tcp 127.0.0.1 from 127.0.0.1', 'tcp ::1 from ::1', 'udp 127.0.0.1 from 127.0.0.1', 'udp ::1 from ::1'].sort(),
    );
  });
});

describe('SSRF canary: every spelling of a local address, every route that connects', () => {
  beforeEach(() => {
    canary.arrivals.length = 0;
  });

  it.each(IPV4_SPELLINGS)('%s: probes and SNMP answer 403 naming 127.0.0.0/8; nothing reaches 127.0.0.1', async (host) => {
    await expectRefusedEverywhere(host, exactly(DENY_V4));
    await settle();
    expect(canary.arrivals).toEqual([]);
  });

  it.each(IPV6_SPELLINGS)('%s: probes and SNMP answer 403 naming ::1/128; nothing reaches ::1', async (host) => {
    await expectRefusedEverywhere(host, exactly(DENY_V6));
    await settle();
    expect(canary.arrivals).toEqual([]);
  });

  it('localhost (a name resolving to loopback) is refused on every route', async () => {
    await expectRefusedEverywhere('localhost', /^TARGET_DENY (127\.0\.0\.0\/8|::1\/128)$/);
    await settle();
    expect(canary.arrivals).toEqual([]);
  });

  it('a batch answers 200 with one POLICY error per target, naming the rule; nothing reaches a canary', async () => {
    const spellings = [...IPV4_SPELLINGS, ...IPV6_SPELLINGS];
    const targets = spellings.flatMap((host) => (['tcp', 'udp', 'tls'] as const).map((protocol) => ({ host, protocol })));
    const res = await post('/socket/probe', { port: canary.port, send: 'canary', timeoutMs: 300, targets });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toHaveLength(targets.length);
    res.json.results.forEach((result: any, i: number) => {
      const expectedRule = IPV6_SPELLINGS.includes(targets[i].host) ? DENY_V6 : DENY_V4;
      expect(result.error, `${targets[i].protocol} ${targets[i].host}`).toMatchObject({ code: 'POLICY', rule: expectedRule });
    });
    await settle();
    expect(canary.arrivals).toEqual([]);
  });

  it.each(IPV4_SPELLINGS)('DHCP relay to server %s answers 403 naming 127.0.0.0/8', async (server) => {
    const res = await post('/dhcp/discover', { mode: 'relay', server, relayAddress: '127.0.0.1', timeoutMs: 300 });
    expect(res.status, res.text).toBe(403);
    expect(res.json).toMatchObject({ type: '/problems/target-denied', rule: DENY_V4 });
  });
});
