// What Redis changes besides the trap stream (issue #13): the per-token rate limit shared by every
// replica, the password from a mounted file, and the checks at start. Real redis-server, real processes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort, startRedis, type RedisServer } from '../helpers/redis.ts';
import { eventually, readiness, snmptrapTo, startReplica, type Replica } from '../helpers/replicas.ts';
import { runServiceToExit, startService, type RunningService } from '../helpers/service.ts';

const PASSWORD = 'redis-test-password-1';
const TOKEN = 'shared-limit-token-0123456789';

let redis: RedisServer;
const started: (Replica | RunningService)[] = [];

beforeAll(async () => {
  redis = await startRedis(['--requirepass', PASSWORD]);
});

afterAll(async () => {
  await Promise.all(started.map((s) => ('service' in s ? s.service : s).stop('SIGKILL')));
  await redis?.stop();
});

function passwordFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'netprobe-redis-')), 'password');
  writeFileSync(file, `${content}\n`);
  return file;
}

describe('the password', () => {
  it('read from a mounted file (REDIS_PASSWORD_FILE): the bus connects and carries traps', async () => {
    const replica = await startReplica('A', redis.url, { REDIS_PASSWORD_FILE: passwordFile(PASSWORD), TRAP_STREAM: `netprobe:pw:${process.pid}` });
    started.push(replica);
    await snmptrapTo(replica, 'with-password');
    const recent = async () => (await fetch(`${replica.baseUrl}/snmp/traps/recent`)).text();
    await eventually('the trap in the stream', recent, (text) => text.includes('with-password'));
  }, 60_000);

  it('a wrong password: the process stays up and /readyz says why the bus is down', async () => {
    const replica = await startReplica('wrong', redis.url, { REDIS_PASSWORD: 'not-the-password' }, false);
    started.push(replica);
    const down = await eventually('the bus down', () => readiness(replica), (r) => r.body.trapBus.state === 'down');
    expect(down.status).toBe(200);
    expect(down.body.trapBus.detail).toMatch(/WRONGPASS|NOAUTH|invalid password/i);
    expect(replica.service.child.exitCode).toBeNull();
  }, 60_000);
});

describe('rediss:// (TLS)', () => {
  it('connects with TLS to a redis-server that only speaks TLS on that port, trusting a private CA through NODE_EXTRA_CA_CERTS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netprobe-redis-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    expect(made.status, String(made.stderr)).toBe(0);
    const tlsPort = await freeTcpPort();
    const tls = await startRedis(['--tls-port', String(tlsPort), '--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', cert, '--tls-auth-clients', 'no']);
    try {
      const replica = await startReplica('tls', `rediss://127.0.0.1:${tlsPort}`, { NODE_EXTRA_CA_CERTS: cert, TRAP_STREAM: 'netprobe:tls' });
      started.push(replica);
      await snmptrapTo(replica, 'over-tls');
      await eventually('the trap in the stream', async () => JSON.stringify(await tls.command('XRANGE', 'netprobe:tls', '-', '+')), (text) => text.includes('over-tls'));
    } finally {
      await tls.stop();
    }
  }, 60_000);
});

describe('checks at start', () => {
  it.each([
    [{ TRAP_BUS: 'redis' }, /TRAP_BUS: TRAP_BUS=redis needs REDIS_URL/],
    [{ TRAP_BUS: 'redis', REDIS_URL: 'http://127.0.0.1:6379' }, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ TRAP_BUS: 'redis', REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PASSWORD_FILE: '/nonexistent/password' }, /REDIS_PASSWORD_FILE: cannot read \/nonexistent\/password: ENOENT/],
  ])('%j: the process exits 2 and says why', async (env, message) => {
    const { code, stderr } = await runServiceToExit(env, 45_000);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  }, 60_000);
});

describe('the per-token rate limit, shared by every replica', () => {
  const BURST = 6;
  const env = {
    REDIS_PASSWORD: PASSWORD,
    // The bus stays in memory: the rate limit is shared whenever REDIS_URL is set.
    TRAP_BUS: 'memory',
    API_TOKENS: JSON.stringify([{ name: 'shared-limit', token: TOKEN, scopes: ['read', 'traps'] }]),
    RATE_LIMIT_PER_SECOND: '0.01', // one token per 100 s: none refills during the test
    RATE_LIMIT_BURST: String(BURST),
  };

  it(`a burst of ${BURST} is the budget of all replicas together, not of each`, async () => {
    const replicas = await Promise.all([startService({ REDIS_URL: redis.url, ...env }, 45_000), startService({ REDIS_URL: redis.url, ...env }, 45_000)]);
    started.push(...replicas);
    const statuses: number[] = [];
    for (let i = 0; i < 2 * BURST; i++) {
      const response = await fetch(`${replicas[i % 2].baseUrl}/snmp/traps/recent?limit=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses.slice(0, BURST)).toEqual(Array(BURST).fill(200));
    expect(statuses.slice(BURST)).toEqual(Array(BURST).fill(429));
  }, 90_000);
});
