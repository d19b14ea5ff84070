// HTTP_REUSE_PORT and TRAP_REUSE_PORT (SO_REUSEPORT, Node ≥ 22.12): several service processes share one HTTP
// port and one trap port, and the kernel spreads connections and trap senders among them.
import { createSocket } from 'node:dgram';
import { get as httpGet } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import snmp from 'net-snmp';
import { afterEach, describe, expect, it } from 'vitest';
import { runServiceToExit, startService, type RunningService } from '../helpers/service.ts';

const [major, minor] = process.versions.node.split('.').map(Number);
const HAS_REUSE_PORT = major > 22 || (major === 22 && minor >= 12);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

async function trapsReceived(service: RunningService): Promise<number> {
  const text = await fetch(`${service.baseUrl}/metrics`).then((r) => r.text());
  return [...text.matchAll(/^netprobe_traps_received_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** One v2c linkDown trap from its own source port. */
function sendTrap(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const session = snmp.createSession('127.0.0.1', 'public', { trapPort: port, version: snmp.Version2c });
    session.on('error', () => undefined);
    session.trap('1.3.6.1.6.3.1.1.5.3', [], (err: Error | null) => {
      session.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

describe.skipIf(!HAS_REUSE_PORT)('reusePort: several processes on one port', () => {
  const services: RunningService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stop('SIGKILL')));
  });

  it('refuses a second process on the same ports without it', async () => {
    const [port, trapPort] = [await freePort(), await freeUdpPort()];
    services.push(await startService({ PORT: String(port), TRAP_PORT: String(trapPort) }));
    const second = await runServiceToExit({ PORT: String(port), TRAP_PORT: String(trapPort), HOST: '127.0.0.1' });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/EADDRINUSE/);
  });

  it('HTTP_REUSE_PORT: two processes listen on one HTTP port, and the kernel spreads connections among them', async () => {
    const port = await freePort();
    const env = { PORT: String(port), HTTP_REUSE_PORT: 'true', LOG_LEVEL: 'info' };
    services.push(await startService(env), await startService(env));
    expect(services.map((s) => s.port)).toEqual([port, port]);
    // Each connection goes to one process; 40 of them reach both (unless with odds of 1 in 2^39).
    for (let i = 0; i < 40; i++) await getOnNewConnection(port, '/healthz');
    await new Promise((r) => setTimeout(r, 200));
    const served = services.map((s) => s.logs.filter((line) => line.includes('"msg":"request"') && line.includes('/healthz')).length);
    expect(served[0] + served[1]).toBe(40);
    expect(served[0]).toBeGreaterThan(0);
    expect(served[1]).toBeGreaterThan(0);
  });

  it('TRAP_REUSE_PORT: two processes receive on one trap port, both ready, and the kernel spreads senders among them', async () => {
    const trapPort = await freeUdpPort();
    const env = { TRAP_PORT: String(trapPort), TRAP_REUSE_PORT: 'true' };
    services.push(await startService(env), await startService(env));
    for (const service of services) {
      const ready = await fetch(`${service.baseUrl}/readyz`);
      expect(ready.status, await ready.text()).toBe(200);
    }
    // Each sender (its own source port) is hashed to one process; 32 of them reach both (odds of 1 in 2^31 not to).
    for (let i = 0; i < 32; i++) await sendTrap(trapPort);
    let counts: number[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      counts = await Promise.all(services.map(trapsReceived));
      if (counts[0] + counts[1] === 32) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(counts[0] + counts[1]).toBe(32);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);
  });
});

/** A GET on a connection of its own (no keep-alive pool), so that the kernel picks a listener for each. */
function getOnNewConnection(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpGet({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}
