import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { splitPoints } from '../../src/snmp/parallel-walk.ts';
import { jsonRequest, testDeps } from '../helpers/app.ts';
import { parseCliVarbinds, snmpCli, startIsolatedSnmpd, TEST_USERS, type IsolatedSnmpd } from '../helpers/snmpd.ts';
import { startUdpRelay } from '../helpers/udp-relay.ts';

/**
 * POST /snmp/walk with `parallel`: the subtree walked in ranges at once against a real snmpd, whose answer
 * must be the serial walk's, varbind for varbind, and snmpbulkwalk's OIDs; and the cap on walk requests in
 * flight to one agent, counted at the agent by a relay in front of it.
 */

const SPLIT_MIBS = fileURLToPath(new URL('../fixtures/mibs', import.meta.url));
/** The agent's tree without the rows that come and go (the machine's processes, the bridge's UDP sockets, ICMP types). */
const STABLE = 'stable';
const IF_DESCR_2 = '1.3.6.1.2.1.2.2.1.2.2';

const deps = testDeps({ snmp: { mibDirs: [SPLIT_MIBS] } });
const app = createApp(deps);
let snmpd: IsolatedSnmpd;

beforeAll(async () => {
  snmpd = await startIsolatedSnmpd([TEST_USERS.noAuth], {
    extraConfig: [
      `view ${STABLE} included .1.3.6.1`,
      `view ${STABLE} excluded .1.3.6.1.2.1.25.4`,
      `view ${STABLE} excluded .1.3.6.1.2.1.25.5`,
      // UDP sockets come and go with the clients the bridge to the namespace serves; ICMP message types with
      // the namespace's first IPv6 router solicitations.
      `view ${STABLE} excluded .1.3.6.1.2.1.5.30`,
      `view ${STABLE} excluded .1.3.6.1.2.1.7.5`,
      `view ${STABLE} excluded .1.3.6.1.2.1.7.7`,
      `rocommunity ${STABLE} 127.0.0.1 -V ${STABLE}`,
    ],
  });
});

afterAll(async () => {
  await snmpd?.stop();
});

interface Varbind {
  oid: string;
  type: string;
  value: unknown;
}

interface WalkBody {
  varbinds: Varbind[];
  truncated: boolean;
  stopReason: string;
}

async function walk(body: Record<string, unknown>, target = { port: snmpd.port }, application = app): Promise<WalkBody> {
  const res = await application.request(jsonRequest('/snmp/walk', { host: '127.0.0.1', ...target, community: STABLE, maxRepetitions: 25, maxVarbinds: 100_000, ...body }));
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as WalkBody;
}

async function walkNdjson(body: Record<string, unknown>): Promise<{ varbinds: Varbind[]; summary: Omit<WalkBody, 'varbinds'> }> {
  const res = await app.request(
    jsonRequest('/snmp/walk', { host: '127.0.0.1', port: snmpd.port, community: STABLE, maxRepetitions: 25, maxVarbinds: 100_000, ...body }, { headers: { accept: 'application/x-ndjson' } }),
  );
  expect(res.status).toBe(200);
  const lines = (await res.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Varbind & { summary?: Omit<WalkBody, 'varbinds'> });
  const summary = lines.at(-1)?.summary;
  expect(summary, JSON.stringify(lines.at(-1))).toBeDefined();
  return { varbinds: lines.slice(0, -1), summary: summary! };
}

/**
 * The parallel walk between two serial ones: the same OIDs and types in the same order, and the same values
 * wherever the two serial walks agree (counters and clocks move between walks).
 */
function expectSameWalk(parallel: WalkBody, before: WalkBody, after: WalkBody): void {
  const shape = (w: WalkBody) => w.varbinds.map((v) => `${v.oid} ${v.type}`);
  expect(shape(before)).toEqual(shape(after)); // the agent's tree did not change meanwhile
  expect(shape(parallel)).toEqual(shape(before));
  const stable = before.varbinds.flatMap((v, i) => (JSON.stringify(v) === JSON.stringify(after.varbinds[i]) ? [i] : []));
  expect(stable.length).toBeGreaterThan(before.varbinds.length / 2);
  for (const i of stable) expect(parallel.varbinds[i]).toEqual(before.varbinds[i]);
  expect({ truncated: parallel.truncated, stopReason: parallel.stopReason }).toEqual({ truncated: before.truncated, stopReason: before.stopReason });
}

describe('parallel walk', () => {
  it.each([4, 8])('of the whole tree with parallel: %i is the serial walk, varbind for varbind, and snmpbulkwalk -Cr25', { timeout: 120_000, retry: 1 }, async (parallel) => {
    const before = await walk({ oid: '1.3.6.1' });
    const inRanges = await walk({ oid: '1.3.6.1', parallel });
    const after = await walk({ oid: '1.3.6.1' });
    expect(before.varbinds.length).toBeGreaterThan(1000);
    expectSameWalk(inRanges, before, after);
    const cli = parseCliVarbinds(await snmpCli('snmpbulkwalk', ['-v2c', '-c', STABLE, '-Cr25', `udp:127.0.0.1:${snmpd.port}`, '1.3.6.1']));
    expect(inRanges.varbinds.map((v) => v.oid)).toEqual(cli.filter((v) => v.type !== 'EndOfMibView').map((v) => v.oid));
  });

  it('of a table splits at its columns, and at an instance where the MIB tree branches (ifDescr.2), which comes once and in order', async () => {
    const points = splitPoints(deps.snmp.mib.oidsUnder('1.3.6.1.2.1.2.2'));
    expect(points).toContain('1.3.6.1.2.1.2.2.1.3'); // ifType: a column
    expect(points).toContain(IF_DESCR_2);
    for (const root of ['IF-MIB::ifTable', 'IF-MIB::ifDescr']) {
      const before = await walk({ oid: root });
      const inRanges = await walk({ oid: root, parallel: 4 });
      const after = await walk({ oid: root });
      expectSameWalk(inRanges, before, after);
      expect(inRanges.varbinds.filter((v) => v.oid === IF_DESCR_2)).toHaveLength(1);
    }
  });

  it('streams NDJSON in order, the same as JSON', async () => {
    const json = await walk({ oid: 'IF-MIB::interfaces', parallel: 4 });
    const ndjson = await walkNdjson({ oid: 'IF-MIB::interfaces', parallel: 4, maxRepetitions: 3 });
    expect(ndjson.varbinds.map((v) => `${v.oid} ${v.type}`)).toEqual(json.varbinds.map((v) => `${v.oid} ${v.type}`));
    expect(ndjson.summary).toMatchObject({ truncated: false, stopReason: json.stopReason });
  });

  it.each([1, 7, 100, 1234, 3000])('stops at maxVarbinds %i as the serial walk does', { timeout: 60_000 }, async (maxVarbinds) => {
    const serial = await walk({ oid: '1.3.6.1', maxVarbinds });
    const inRanges = await walk({ oid: '1.3.6.1', maxVarbinds, parallel: 8 });
    expect(inRanges.varbinds.map((v) => v.oid)).toEqual(serial.varbinds.map((v) => v.oid));
    expect(inRanges.varbinds).toHaveLength(maxVarbinds);
    expect({ truncated: inRanges.truncated, stopReason: inRanges.stopReason }).toEqual({ truncated: true, stopReason: 'maxVarbinds' });
    const streamed = await walkNdjson({ oid: '1.3.6.1', maxVarbinds, parallel: 8 });
    expect(streamed.varbinds.map((v) => v.oid)).toEqual(serial.varbinds.map((v) => v.oid));
    expect(streamed.summary).toMatchObject({ truncated: true, stopReason: 'maxVarbinds' });
  });

  it('on v1, and where the MIBs know no branch, walks serially with the same answer', async () => {
    const v1 = await walk({ oid: 'IF-MIB::ifTable', version: '1', parallel: 4 });
    expect(v1.varbinds.map((v) => v.oid)).toEqual((await walk({ oid: 'IF-MIB::ifTable', version: '1' })).varbinds.map((v) => v.oid));
    const unknown = await walk({ oid: '1.3.6.1.4.1.8072.1.2.1.1.4', parallel: 4 }); // nsModuleName: no MIB loaded for it
    expect(unknown.varbinds.length).toBeGreaterThan(10);
  });

  it('answers 400 for parallel out of range', async () => {
    for (const parallel of [0, 9, 1.5, '4']) {
      const res = await app.request(jsonRequest('/snmp/walk', { host: '127.0.0.1', port: snmpd.port, community: STABLE, oid: 'system', parallel }));
      expect(res.status, `parallel: ${JSON.stringify(parallel)}`).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('parallel');
    }
    const capped = createApp(testDeps({ snmp: { walkMaxParallel: 2 } }));
    const res = await capped.request(jsonRequest('/snmp/walk', { host: '127.0.0.1', port: snmpd.port, community: STABLE, oid: 'system', parallel: 3 }));
    expect(res.status).toBe(400);
  });

  it('never has more walk requests in flight to one agent than SNMP_WALK_MAX_PARALLEL, across concurrent walks', { timeout: 120_000 }, async () => {
    const relay = await startUdpRelay({ host: '127.0.0.1', port: snmpd.port });
    const capped = createApp(testDeps({ snmp: { walkMaxParallel: 2, mibDirs: [SPLIT_MIBS] } }));
    try {
      const oids = ['IF-MIB::interfaces', 'IP-MIB::ip', 'HOST-RESOURCES-MIB::host', '1.3.6.1.6', 'IF-MIB::interfaces', 'IP-MIB::ip'];
      const walks = await Promise.all(oids.map((oid, i) => walk({ oid, parallel: i === 0 ? 1 : 2, maxRepetitions: 5, maxVarbinds: 10_000 }, { port: relay.port }, capped)));
      for (const body of walks) expect(body.varbinds.length).toBeGreaterThan(0);
      expect(relay.requests).toBeGreaterThan(50);
      expect(relay.maxOutstanding).toBeLessThanOrEqual(2);
      expect(relay.maxOutstanding).toBe(2);
    } finally {
      await relay.stop();
    }
  });
});
