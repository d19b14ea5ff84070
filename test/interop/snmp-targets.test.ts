import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { jsonRequest, testDeps } from '../helpers/app.ts';
import { COMMUNITY_RO, startSnmpd, TEST_USERS, type Snmpd } from '../helpers/snmpd.ts';

/** Many targets in one request: results in input order, each with its own outcome, none waiting on another. */

const TIMEOUT_MS = 1500;
let first: Snmpd;
let second: Snmpd;
let silent: Socket;
let deadPort: number;

beforeAll(async () => {
  [first, second] = await Promise.all([startSnmpd([TEST_USERS.noAuth]), startSnmpd([TEST_USERS.noAuth])]);
  // A bound socket that never answers: a dead agent (no ICMP port-unreachable either).
  silent = createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  deadPort = silent.address().port;
});

afterAll(async () => {
  silent?.close();
  await Promise.all([first?.stop(), second?.stop()]);
});

interface Result {
  target: { host: string; port: number };
  ok: boolean;
  index?: number;
  varbinds?: { name?: string; value: unknown }[];
  error?: { status: number; type: string; detail?: string };
}

describe('targets on /snmp/get', () => {
  it('four targets (two live agents, a dead port, a wrong community): four results in order, within one timeout', async () => {
    const { app } = { app: createApp(testDeps()) };
    const started = performance.now();
    const res = await app.request(
      jsonRequest('/snmp/get', {
        community: COMMUNITY_RO,
        timeoutMs: TIMEOUT_MS,
        retries: 0,
        oids: ['SNMPv2-MIB::sysName.0'],
        targets: [
          { host: '127.0.0.1', port: first.port },
          { host: '127.0.0.1', port: deadPort },
          { host: '127.0.0.1', port: second.port, community: 'not-the-community' },
          { host: '127.0.0.1', port: second.port },
        ],
      }),
    );
    const elapsed = performance.now() - started;
    const body = (await res.json()) as { results: Result[]; elapsedMs: number };
    expect(res.status).toBe(200);
    expect(body.results.map((r) => [r.target.port, r.ok])).toEqual([
      [first.port, true],
      [deadPort, false],
      [second.port, false],
      [second.port, true],
    ]);
    expect(body.results[0].varbinds?.[0]).toMatchObject({ name: 'SNMPv2-MIB::sysName.0', value: 'netprobe-test-agent' });
    expect(body.results[3].varbinds?.[0]).toMatchObject({ name: 'SNMPv2-MIB::sysName.0', value: 'netprobe-test-agent' });
    for (const failed of [body.results[1], body.results[2]]) {
      expect(failed.error).toMatchObject({ status: 504, type: '/problems/snmp-timeout' });
      expect(failed.varbinds).toBeUndefined();
    }
    // The two dead ones waited side by side: one timeout in all, not two (generous margin for a loaded machine).
    expect(elapsed).toBeLessThan(2 * TIMEOUT_MS);
  });

  it('target policy applies per target: a refused target is its own 403 result', async () => {
    const app = createApp(testDeps({ policy: { deny: [`127.0.0.1/32@${second.port}`] } }));
    const res = await app.request(
      jsonRequest('/snmp/get', {
        oids: ['sysName.0'],
        targets: [
          { host: '127.0.0.1', port: first.port },
          { host: '127.0.0.1', port: second.port },
        ],
      }),
    );
    const { results } = (await res.json()) as { results: Result[] };
    expect(results[0].ok).toBe(true);
    expect(results[1]).toMatchObject({ ok: false, error: { status: 403, type: '/problems/target-denied' } });
  });

  it('credential-profile CIDRs apply per target', async () => {
    const app = createApp(
      testDeps({
        snmp: { credentials: { lab: { version: '2c', community: COMMUNITY_RO, targets: ['127.0.0.1/32'] } } },
      }),
    );
    const res = await app.request(
      jsonRequest('/snmp/get', {
        credentials: 'lab',
        oids: ['sysName.0'],
        timeoutMs: 300,
        retries: 0,
        targets: [{ host: '127.0.0.1', port: first.port }, { host: '::1', port: second.port }],
      }),
    );
    const { results } = (await res.json()) as { results: Result[] };
    expect(results[0].ok).toBe(true);
    expect(results[1]).toMatchObject({ ok: false, error: { status: 403, detail: expect.stringMatching(/credentials "lab" may not be used/) } });
  });

  it('streams NDJSON: each result as it completes with its index, then a summary', async () => {
    const app = createApp(testDeps());
    const res = await app.request(
      jsonRequest(
        '/snmp/get',
        {
          oids: ['sysName.0'],
          timeoutMs: 800,
          retries: 0,
          targets: [
            { host: '127.0.0.1', port: deadPort },
            { host: '127.0.0.1', port: first.port },
          ],
        },
        { headers: { accept: 'application/x-ndjson' } },
      ),
    );
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await res.text()).trim().split('\n').map((line) => JSON.parse(line) as Result & { summary?: unknown });
    // The live agent answers first although it comes second.
    expect(lines.map((l) => l.index)).toEqual([1, 0, undefined]);
    expect(lines[0]).toMatchObject({ ok: true, target: { port: first.port } });
    expect(lines[1]).toMatchObject({ ok: false, error: { status: 504 } });
    expect(lines[2]).toMatchObject({ summary: { targets: 2, ok: 1, failed: 1 } });
  });

  it('walk and table take targets too', async () => {
    const app = createApp(testDeps());
    const targets = [
      { host: '127.0.0.1', port: first.port },
      { host: '127.0.0.1', port: second.port },
    ];
    const walk = await app.request(jsonRequest('/snmp/walk', { oid: 'SNMPv2-MIB::system', targets }));
    const walked = (await walk.json()) as { results: (Result & { stopReason?: string })[] };
    expect(walked.results.map((r) => [r.ok, r.stopReason])).toEqual([
      [true, 'endOfSubtree'],
      [true, 'endOfSubtree'],
    ]);
    const table = await app.request(jsonRequest('/snmp/table', { table: 'IF-MIB::ifTable', columns: ['ifDescr'], targets, concurrency: 1 }));
    const tables = (await table.json()) as { results: { ok: boolean; rows: { values: Record<string, unknown> }[] }[] };
    expect(tables.results).toHaveLength(2);
    for (const result of tables.results) expect(result.rows.some((r) => r.values.ifDescr === 'lo')).toBe(true);
  });

  it('tables of one request wait for each other when the walk buffer holds only one at a time', async () => {
    const app = createApp(testDeps({ snmp: { walkBufferVarbinds: 150 } }));
    const targets = [first.port, second.port, first.port, second.port].map((port) => ({ host: '127.0.0.1', port }));
    const res = await app.request(jsonRequest('/snmp/table', { table: 'IF-MIB::ifTable', columns: ['ifDescr'], maxRows: 100, targets, concurrency: 4 }));
    const { results } = (await res.json()) as { results: Result[] };
    expect(results.map((r) => r.ok), JSON.stringify(results.map((r) => r.error))).toEqual([true, true, true, true]);
  });

  it('refuses host with targets, and a v3 target without a user, with 400', async () => {
    const app = createApp(testDeps());
    const both = await app.request(jsonRequest('/snmp/get', { host: '127.0.0.1', oids: ['sysName.0'], targets: [{ host: '127.0.0.1' }] }));
    expect(both.status).toBe(400);
    const v3 = await app.request(jsonRequest('/snmp/get', { oids: ['sysName.0'], targets: [{ host: '127.0.0.1' }, { host: '127.0.0.1', version: '3' }] }));
    expect(v3.status).toBe(400);
    expect(((await v3.json()) as { errors: { path: string }[] }).errors).toEqual([{ path: 'body.targets.1.user', message: 'is required for version 3' }]);
  });
});
