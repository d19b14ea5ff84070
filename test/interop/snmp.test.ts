import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { testDeps } from '../helpers/app.ts';
import { closedPort } from '../helpers/probe-peers.ts';
import {
  COMMUNITY_RO,
  COMMUNITY_RW,
  parseCliVarbinds,
  snmpCli,
  startSnmpd,
  TEST_USERS,
  type CliVarbind,
  type Snmpd,
  type TestUser,
} from '../helpers/snmpd.ts';

/**
 * The HTTP routes (createApp + app.request) against a real Net-SNMP agent started on 127.0.0.1 and ::1
 * with a generated configuration: communities public (ro) and private (rw), and one v3 user per
 * security level, auth protocol and priv protocol.
 */

let agent: Snmpd;
let app: App;
let logs: ReturnType<typeof testDeps>['logs'];

beforeAll(async () => {
  agent = await startSnmpd();
  const deps = testDeps({}, 'debug');
  logs = deps.logs;
  app = createApp(deps);
});

afterAll(async () => {
  await agent?.stop();
});

interface VarbindBody {
  oid: string;
  name?: string;
  type: string;
  value: unknown;
  encoding?: string;
  valueName?: string;
}

async function post(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await app.request(
    new Request(`http://localhost${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ host: agent.host, port: agent.port, ...body }),
    }),
  );
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') && !res.headers.get('content-type')?.includes('ndjson') ? JSON.parse(text) : undefined;
  return { status: res.status, json, text, headers: res.headers };
}

function v3(user: TestUser) {
  const { writable: _writable, ...credentials } = user;
  return { version: '3', user: credentials };
}

const SYS_NAME = '1.3.6.1.2.1.1.5.0';

describe('get, getnext, bulk, walk and set for v1, v2c and v3 at every security level', () => {
  const credentials: [string, Record<string, unknown>][] = [
    ['v1', { version: '1', community: COMMUNITY_RO }],
    ['v2c', { version: '2c', community: COMMUNITY_RO }],
    ['v3 noAuthNoPriv', v3(TEST_USERS.noAuth)],
    ['v3 authNoPriv', v3(TEST_USERS.sha)],
    ['v3 authPriv', v3(TEST_USERS.aes)],
  ];

  it.each(credentials)('%s: get by MIB name', async (_label, creds) => {
    const res = await post('/snmp/get', { ...creds, oids: ['SNMPv2-MIB::sysName.0', 'sysDescr.0'] });
    expect(res.status, res.text).toBe(200);
    expect(res.json.varbinds[0]).toEqual({ oid: SYS_NAME, name: 'SNMPv2-MIB::sysName.0', type: 'OctetString', value: 'netprobe-test-agent' });
    expect(res.json.varbinds[1]).toMatchObject({ oid: '1.3.6.1.2.1.1.1.0', type: 'OctetString' });
    expect(typeof res.json.elapsedMs).toBe('number');
  });

  it.each(credentials)('%s: getnext', async (_label, creds) => {
    const res = await post('/snmp/getnext', { ...creds, oids: ['1.3.6.1.2.1.1.5', '.1.3.6.1.2.1.1.4'] });
    expect(res.status, res.text).toBe(200);
    expect(res.json.varbinds.map((v: VarbindBody) => v.oid)).toEqual([SYS_NAME, '1.3.6.1.2.1.1.4.0']);
  });

  it.each(credentials.filter(([label]) => label !== 'v1'))('%s: bulk with non-repeaters', async (_label, creds) => {
    const res = await post('/snmp/bulk', { ...creds, oids: ['sysUpTime', 'IF-MIB::ifIndex'], nonRepeaters: 1, maxRepetitions: 2 });
    expect(res.status, res.text).toBe(200);
    const oids = res.json.varbinds.map((v: VarbindBody) => v.oid);
    expect(oids).toEqual(['1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.2.2.1.1.1', '1.3.6.1.2.1.2.2.1.1.2']);
  });

  it.each(credentials)('%s: walk of the system group matches snmpwalk', async (_label, creds) => {
    const res = await post('/snmp/walk', { ...creds, oid: 'SNMPv2-MIB::system' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ truncated: false, stopReason: 'endOfSubtree' });
    const cli = parseCliVarbinds(await snmpCli('snmpwalk', ['-v2c', '-c', COMMUNITY_RO, `udp:127.0.0.1:${agent.port}`, '1.3.6.1.2.1.1']));
    expect(res.json.varbinds.map((v: VarbindBody) => v.oid)).toEqual(cli.map((v) => v.oid));
  });

  it('v1: set through the rw community, read back by get', async () => {
    const set = await post('/snmp/set', { version: '1', community: COMMUNITY_RW, varbinds: [{ oid: 'sysLocation.0', type: 'OctetString', value: 'rack v1' }] });
    expect(set.status, set.text).toBe(200);
    const get = await post('/snmp/get', { version: '1', oids: ['sysLocation.0'] });
    expect(get.json.varbinds[0].value).toBe('rack v1');
  });

  it('v3 authPriv (rwuser): set, read back by get', async () => {
    const set = await post('/snmp/set', { ...v3(TEST_USERS.aes), varbinds: [{ oid: 'SNMPv2-MIB::sysLocation.0', type: 'OctetString', value: 'rack v3' }] });
    expect(set.status, set.text).toBe(200);
    expect(set.json.varbinds[0]).toMatchObject({ oid: '1.3.6.1.2.1.1.6.0', type: 'OctetString', value: 'rack v3' });
    const get = await post('/snmp/get', { ...v3(TEST_USERS.noAuth), oids: ['sysLocation.0'] });
    expect(get.json.varbinds[0].value).toBe('rack v3');
  });

  it('v3 with a context name (the default context is empty)', async () => {
    const res = await post('/snmp/get', { ...v3(TEST_USERS.sha), context: '', oids: ['sysName.0'] });
    expect(res.status, res.text).toBe(200);
  });
});

describe('every v3 auth and priv protocol, against snmpd users made with createUser', () => {
  const users = Object.entries(TEST_USERS).filter(([, u]) => u.level !== 'noAuthNoPriv');
  it.each(users)('%s', async (_key, user) => {
    const res = await post('/snmp/get', { ...v3(user), oids: ['sysName.0'] });
    expect(res.status, res.text).toBe(200);
    expect(res.json.varbinds[0].value).toBe('netprobe-test-agent');
  });

  it('DES works without --openssl-legacy-provider or NODE_OPTIONS', async () => {
    expect(process.execArgv.join(' ')).not.toContain('openssl-legacy-provider');
    expect(process.env.NODE_OPTIONS ?? '').not.toContain('openssl-legacy-provider');
    const res = await post('/snmp/walk', { ...v3(TEST_USERS.des), oid: 'system' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.varbinds.length).toBeGreaterThan(5);
  });

  it('AES-256 Blumenthal and Reeder are different key extensions (each user only works with its own)', async () => {
    const crossed = { ...TEST_USERS.aes256b, privProtocol: 'aes256r' as const };
    const res = await post('/snmp/get', { ...v3(crossed), timeoutMs: 300, retries: 0, oids: ['sysName.0'] });
    expect(res.status).not.toBe(200);
  });
});

describe('values by type', () => {
  it('Counter64 ifHCInOctets is a decimal string', async () => {
    const res = await post('/snmp/get', { oids: ['IF-MIB::ifHCInOctets.1'] });
    expect(res.status, res.text).toBe(200);
    const [vb] = res.json.varbinds;
    expect(vb).toMatchObject({ oid: '1.3.6.1.2.1.31.1.1.1.6.1', name: 'IF-MIB::ifHCInOctets.1', type: 'Counter64' });
    expect(vb.value).toMatch(/^\d+$/);
    const cli = parseCliVarbinds(await snmpCli('snmpget', ['-v2c', '-c', COMMUNITY_RO, `udp:127.0.0.1:${agent.port}`, '1.3.6.1.2.1.31.1.1.1.6.1']));
    expect(BigInt(vb.value)).toBeLessThanOrEqual(BigInt(cli[0].value));
  });

  it('a MAC address (ifPhysAddress) is hex', async () => {
    const walk = await post('/snmp/walk', { oid: 'IF-MIB::ifPhysAddress' });
    const macs = walk.json.varbinds.filter((v: VarbindBody) => v.value !== '');
    expect(macs.length).toBeGreaterThan(0);
    for (const mac of macs) {
      expect(mac).toMatchObject({ type: 'OctetString', encoding: 'hex' });
      expect(mac.value).toMatch(/^[0-9a-f]{12}$/);
      expect(mac.name).toMatch(/^IF-MIB::ifPhysAddress\.\d+$/);
    }
    const cli = parseCliVarbinds(
      await snmpCli('snmpget', ['-v2c', '-c', COMMUNITY_RO, '-Ox', `udp:127.0.0.1:${agent.port}`, macs[0].oid]),
    );
    expect(cli[0].value.replace(/\s+/g, '').toLowerCase()).toBe(macs[0].value);
  });

  it('ObjectIdentifier values carry their name; TimeTicks are numbers; missing instances are typed', async () => {
    const res = await post('/snmp/get', { oids: ['sysObjectID.0', 'sysUpTime.0', 'sysName.42', '1.3.6.1.2.1.99999.0'] });
    expect(res.status, res.text).toBe(200);
    const [objectId, upTime, noInstance, noObject] = res.json.varbinds;
    expect(objectId).toMatchObject({ type: 'ObjectIdentifier', value: '1.3.6.1.4.1.8072.3.2.10', valueName: 'NET-SNMP-TC::linux' });
    expect(upTime).toMatchObject({ type: 'TimeTicks' });
    expect(typeof upTime.value).toBe('number');
    expect(noInstance).toEqual({ oid: '1.3.6.1.2.1.1.5.42', name: 'SNMPv2-MIB::sysName.42', type: 'NoSuchInstance', value: null });
    expect(noObject).toMatchObject({ type: 'NoSuchObject', value: null });
  });

  it('IpAddress values are dotted', async () => {
    const res = await post('/snmp/walk', { oid: '1.3.6.1.2.1.4.20.1.1' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.varbinds.map((v: VarbindBody) => v.value)).toContain('127.0.0.1');
    for (const vb of res.json.varbinds) expect(vb.type).toBe('IpAddress');
  });
});

describe('the whole tree', () => {
  // Values that change between two walks a few milliseconds apart (clocks, load, engine time).
  const VOLATILE_VALUES = [
    '1.3.6.1.2.1.25.1.2', // hrSystemDate
    '1.3.6.1.2.1.25.1.6', // hrSystemProcesses
    '1.3.6.1.2.1.25.2.3', // hrStorageTable (sizes and use of memory regions)
    '1.3.6.1.2.1.25.3.3', // hrProcessorLoad
    '1.3.6.1.4.1.2021.4', // memory
    '1.3.6.1.4.1.2021.9.1', // disks
    '1.3.6.1.4.1.2021.10.1', // load averages
    '1.3.6.1.4.1.2021.11', // systemStats
    '1.3.6.1.4.1.2021.100.4', // versionCDate (current date)
    '1.3.6.1.6.3.10.2.1.3', // snmpEngineTime
    '1.3.6.1.4.1.8072.1.5.3', // nsCacheStatus: caches expire and refill while the walks run
  ];
  // Rows that come and go between two walks (processes, sockets of the walkers themselves).
  const VOLATILE_ROWS = [
    '1.3.6.1.2.1.25.4', // hrSWRun
    '1.3.6.1.2.1.25.5', // hrSWRunPerf
    '1.3.6.1.2.1.6.13', // tcpConnTable
    '1.3.6.1.2.1.6.19', // tcpConnectionTable
    '1.3.6.1.2.1.7.5', // udpTable
    '1.3.6.1.2.1.7.7', // udpEndpointTable
  ];
  const under = (prefixes: string[], oid: string) => prefixes.some((p) => oid === p || oid.startsWith(`${p}.`));
  const CLI_TYPES: Record<string, string> = {
    STRING: 'OctetString',
    'Hex-STRING': 'OctetString',
    INTEGER: 'Integer',
    OID: 'ObjectIdentifier',
    Timeticks: 'TimeTicks',
    Counter32: 'Counter32',
    Gauge32: 'Gauge32',
    Counter64: 'Counter64',
    IpAddress: 'IpAddress',
    Opaque: 'Opaque',
  };

  /** Comparable form of a CLI value: hex for strings, dotted for OIDs, decimal for integers and addresses. */
  function cliValue(v: CliVarbind): string | undefined {
    if (v.type === 'STRING' || v.type === 'Hex-STRING') return v.value === '""' ? '' : v.value.replace(/\s+/g, '').toLowerCase();
    if (v.type === 'OID') return v.value.replace(/^\./, '');
    if (v.type === 'INTEGER' || v.type === 'IpAddress') return v.value;
    return undefined;
  }

  function ourValue(v: VarbindBody): string {
    if (v.type === 'OctetString') return v.encoding === 'hex' ? String(v.value) : Buffer.from(String(v.value), 'utf8').toString('hex');
    return String(v.value);
  }

  // A live agent's tree keeps changing (under heavy host load one walk takes seconds), so one retry is allowed.
  it('walk of 1.3.6.1 returns the same OIDs, types and values as snmpbulkwalk -On -Oe', { retry: 1, timeout: 180_000 }, async () => {
    // snmpbulkwalk runs before and after our walk: what differs between those two runs is volatile.
    const cliWalk = async () =>
      parseCliVarbinds(await snmpCli('snmpbulkwalk', ['-v2c', '-c', COMMUNITY_RO, '-Oe', '-Ox', `udp:127.0.0.1:${agent.port}`, '1.3.6.1'])).filter(
        (v) => v.type !== 'EndOfMibView' && !under(VOLATILE_ROWS, v.oid),
      );
    const before = await cliWalk();
    const res = await post('/snmp/walk', { oid: '1.3.6.1', maxVarbinds: 100_000 });
    const after = await cliWalk();
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ truncated: false, stopReason: 'endOfMibView' });
    expect(before.length).toBeGreaterThan(1000);
    const ours = (res.json.varbinds as VarbindBody[]).filter((v) => !under(VOLATILE_ROWS, v.oid));

    const afterByOid = new Map(after.map((v) => [v.oid, v]));
    const beforeOids = new Set(before.map((v) => v.oid));
    const inBoth = before.filter((v) => afterByOid.has(v.oid)).map((v) => v.oid);
    const ourOids = ours.map((v) => v.oid);
    // Every OID the agent showed both times is in our walk, in the same order; nothing in ours is unknown to both.
    expect(ourOids.filter((oid) => beforeOids.has(oid) && afterByOid.has(oid))).toEqual(inBoth);
    expect(ourOids.filter((oid) => !beforeOids.has(oid) && !afterByOid.has(oid))).toEqual([]);

    const oursByOid = new Map(ours.map((v) => [v.oid, v]));
    let compared = 0;
    for (const first of before) {
      const second = afterByOid.get(first.oid);
      const actual = oursByOid.get(first.oid);
      if (!second || !actual) continue;
      expect(actual.type, first.oid).toBe(CLI_TYPES[first.type]);
      const expected = cliValue(first);
      if (expected === undefined || under(VOLATILE_VALUES, first.oid)) continue;
      compared++;
      expect([expected, cliValue(second)], `${first.oid} (${actual.type})`).toContain(ourValue(actual));
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('v1 walks with GETNEXT and skips Counter64 like the agent does for v1', async () => {
    const res = await post('/snmp/walk', { version: '1', oid: 'IF-MIB::ifTable' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.stopReason).toBe('endOfSubtree');
    const cli = parseCliVarbinds(await snmpCli('snmpwalk', ['-v1', '-c', COMMUNITY_RO, `udp:127.0.0.1:${agent.port}`, '1.3.6.1.2.1.2.2']));
    expect(res.json.varbinds.map((v: VarbindBody) => v.oid)).toEqual(cli.map((v) => v.oid));
  });

  it('maxVarbinds truncates', async () => {
    const res = await post('/snmp/walk', { oid: '1.3.6.1', maxVarbinds: 7, maxRepetitions: 5 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ truncated: true, stopReason: 'maxVarbinds' });
    expect(res.json.varbinds).toHaveLength(7);
  });

  it('a walk rooted at an instance returns that instance, like snmpwalk', async () => {
    const res = await post('/snmp/walk', { oid: 'sysName.0' });
    expect(res.json.varbinds).toEqual([{ oid: SYS_NAME, name: 'SNMPv2-MIB::sysName.0', type: 'OctetString', value: 'netprobe-test-agent' }]);
  });
});

describe('NDJSON streaming walk', () => {
  it('streams one varbind per line, then a summary line', async () => {
    const res = await post('/snmp/walk', { oid: 'IF-MIB::ifTable', maxRepetitions: 3 }, { accept: 'application/x-ndjson' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = res.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    const summary = lines.pop();
    expect(summary).toMatchObject({ summary: { truncated: false, stopReason: 'endOfSubtree' } });
    expect(lines.length).toBeGreaterThan(10);
    for (const vb of lines) expect(vb.oid).toMatch(/^1\.3\.6\.1\.2\.1\.2\.2\.1\./);
    const json = await post('/snmp/walk', { oid: 'IF-MIB::ifTable' });
    expect(lines.map((v) => v.oid)).toEqual(json.json.varbinds.map((v: VarbindBody) => v.oid));
  });

  it('an error before the first varbind is still problem+json with its status', async () => {
    const res = await post('/snmp/walk', { oid: 'system', community: 'wrong-community', timeoutMs: 200, retries: 0 }, { accept: 'application/x-ndjson' });
    expect(res.status).toBe(504);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('the first lines arrive before the walk ends, and a client that goes away stops it', async () => {
    const controller = new AbortController();
    const response = await app.request(
      new Request('http://localhost/snmp/walk', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
        body: JSON.stringify({ host: agent.host, port: agent.port, oid: '1.3.6.1', maxRepetitions: 1 }),
        signal: controller.signal,
      }),
    );
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(new TextDecoder().decode(first.value).split('\n')[0]).toContain('"oid"');
    await reader.cancel();
    controller.abort();
  });
});

describe('spellings the CLI accepts, against snmpd (issue #16)', () => {
  it('version 3 as a number, protocols as snmpget -a SHA -x AES spells them', async () => {
    const { name, authKey, privKey } = TEST_USERS.aes;
    const user = { name, level: 'authPriv', authProtocol: 'SHA', authKey, privProtocol: 'AES', privKey };
    const res = await post('/snmp/get', { version: 3, user, oids: ['sysName.0'] });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.varbinds[0].type).toBe('OctetString');
  });

  it('a binary value read with GET is written back by SET as it came ({ value, encoding: "hex" })', async () => {
    const bytes = { oid: 'sysLocation.0', type: 'OctetString', value: '7261636b07', encoding: 'hex' }; // 'rack' and a BEL: DisplayString allows it, and it is not printable
    const first = await post('/snmp/set', { community: COMMUNITY_RW, varbinds: [bytes] });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const read = await post('/snmp/get', { oids: ['sysLocation.0'] });
    const [varbind] = read.json.varbinds;
    expect(varbind).toMatchObject({ type: 'OctetString', value: '7261636b07', encoding: 'hex' });
    const { oid, type, value, encoding } = varbind;
    const back = await post('/snmp/set', { community: COMMUNITY_RW, varbinds: [{ oid, type, value, encoding }] });
    expect(back.status, JSON.stringify(back.json)).toBe(200);
    expect(back.json.varbinds[0]).toMatchObject({ value: '7261636b07', encoding: 'hex' });
    await post('/snmp/set', { community: COMMUNITY_RW, varbinds: [{ oid: 'sysLocation.0', type: 'OctetString', value: 'rack 1' }] });
  });
});

describe('SET types from the MIB, names suggested (issue #16)', () => {
  it('a SET without a type takes it from the SYNTAX (sysContact: DisplayString → OctetString), read back by get', async () => {
    const set = await post('/snmp/set', { community: COMMUNITY_RW, varbinds: [{ oid: 'sysContact.0', value: 'noc untyped' }] });
    expect(set.status, JSON.stringify(set.json)).toBe(200);
    expect(set.json.varbinds[0]).toMatchObject({ type: 'OctetString', value: 'noc untyped' });
    const read = await post('/snmp/get', { oids: ['sysContact.0'] });
    expect(read.json.varbinds[0].value).toBe('noc untyped');
  });

  it('an untyped value that does not fit the SYNTAX is a 400 naming the field, the syntax and the named numbers', async () => {
    const wrong = await post('/snmp/set', { community: COMMUNITY_RW, varbinds: [{ oid: 'IF-MIB::ifAdminStatus.1', value: 'sideways' }] });
    expect(wrong.status).toBe(400);
    expect(wrong.json.errors).toEqual([{ path: 'body.varbinds.0.value', message: expect.stringMatching(/IF-MIB::ifAdminStatus is INTEGER \(Integer\).*up\(1\), down\(2\)/) }]);
    const noMib = await post('/snmp/set', { community: COMMUNITY_RW, varbinds: [{ oid: '1.3.6.1.4.1.99999.1.0', value: 1 }] });
    expect(noMib.status).toBe(400);
    expect(noMib.json.errors[0]).toEqual({ path: 'body.varbinds.0.type', message: expect.stringContaining('give a type: no loaded MIB describes 1.3.6.1.4.1.99999.1.0 as an object') });
  });

  it('an unknown MIB name suggests the loaded names closest to it', async () => {
    const res = await post('/snmp/get', { oids: ['sysNme.0'] });
    expect(res.status).toBe(400);
    expect(res.json.detail).toContain('unknown MIB name "sysNme"; did you mean "sysName"?');
    const qualified = await post('/snmp/get', { oids: ['IF-MIB::ifDescrr.1'] });
    expect(qualified.json.detail).toContain('did you mean "IF-MIB::ifDescr"?');
  });
});

describe('agent errors', () => {
  it('set with a wrong type answers 422 with the agent error-status', async () => {
    const res = await post('/snmp/set', { community: COMMUNITY_RW, varbinds: [{ oid: 'sysContact.0', type: 'Integer', value: 5 }] });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ type: '/problems/snmp-error', snmp: { status: 'wrongType', index: 1, oid: '1.3.6.1.2.1.1.4.0' } });
  });

  it('set of a read-only object answers 422 notWritable with its index', async () => {
    const res = await post('/snmp/set', {
      community: COMMUNITY_RW,
      varbinds: [
        { oid: 'sysContact.0', type: 'OctetString', value: 'noc@example.net' },
        { oid: 'sysDescr.0', type: 'OctetString', value: 'x' },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.json.snmp).toEqual({ status: 'notWritable', index: 2, oid: '1.3.6.1.2.1.1.1.0' });
  });

  it('v1 set of a read-only object answers 422 with the v1 status', async () => {
    const res = await post('/snmp/set', { version: '1', community: COMMUNITY_RW, varbinds: [{ oid: 'sysDescr.0', type: 'OctetString', value: 'x' }] });
    expect(res.status).toBe(422);
    expect(['noSuchName', 'readOnly']).toContain(res.json.snmp.status);
    expect(res.json.snmp.index).toBe(1);
  });

  it('set through the read-only community is refused by the agent', async () => {
    const res = await post('/snmp/set', { community: COMMUNITY_RO, varbinds: [{ oid: 'sysContact.0', type: 'OctetString', value: 'x' }] });
    expect(res.status).toBe(422);
    expect(res.json.snmp.status).toBe('noAccess');
  });

  it('v1 get of a missing instance answers 422 noSuchName', async () => {
    const res = await post('/snmp/get', { version: '1', oids: ['sysName.0', 'sysName.7'] });
    expect(res.status).toBe(422);
    expect(res.json.snmp).toEqual({ status: 'noSuchName', index: 2, oid: '1.3.6.1.2.1.1.5.7' });
  });

  it('wrong community answers 504 within timeoutMs × (retries+1) + slack', async () => {
    const timeoutMs = 300;
    const retries = 2;
    const started = performance.now();
    const res = await post('/snmp/get', { community: 'not-the-community', timeoutMs, retries, oids: ['sysName.0'] });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(504);
    expect(res.json.type).toBe('/problems/snmp-timeout');
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs * (retries + 1) - 50);
    expect(elapsed).toBeLessThan(timeoutMs * (retries + 1) + 1000);
  });

  it('the three silent failures are told apart: closed port, wrong community, v3 user below its level', async () => {
    const closed = await closedPort('udp');
    const started = performance.now();
    const unreachable = await post('/snmp/get', { port: closed, timeoutMs: 2000, retries: 1, oids: ['sysName.0'] });
    expect(unreachable.status).toBe(502);
    expect(unreachable.json).toMatchObject({ type: '/problems/snmp-unreachable', detail: expect.stringMatching(/port unreachable \(ICMP\)/) });
    expect(performance.now() - started).toBeLessThan(1000); // at once, not after 2 × 2000 ms

    const silent = await post('/snmp/get', { community: 'not-the-community', timeoutMs: 200, retries: 1, oids: ['sysName.0'] });
    expect(silent.status).toBe(504);
    expect(silent.json.detail).toMatch(/did not answer in \d+ ms \(2 attempts of 200 ms\)\. The usual causes: a wrong community/);

    const belowLevel = await post('/snmp/get', { ...v3({ name: TEST_USERS.aes.name, level: 'noAuthNoPriv' }), oids: ['sysName.0'] });
    expect(belowLevel.status).toBe(502);
    expect(belowLevel.json).toMatchObject({ type: '/problems/snmp-auth' });
    expect(belowLevel.json.detail).toMatch(/security level|authPriv/);
  });

  it('wrong v3 password answers 502 snmp-auth with the reason', async () => {
    const res = await post('/snmp/get', { ...v3({ ...TEST_USERS.sha256, authKey: 'not-the-password' }), oids: ['sysName.0'] });
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ type: '/problems/snmp-auth', snmp: { reason: 'wrongDigest' } });
    expect(res.json.detail).toMatch(/digest/);
  });

  it('an unknown v3 user answers 502 snmp-auth unknownUserName', async () => {
    const res = await post('/snmp/get', { version: '3', user: { name: 'nobody-here', level: 'noAuthNoPriv' }, oids: ['sysName.0'] });
    expect(res.status).toBe(502);
    expect(res.json.snmp.reason).toBe('unknownUserName');
  });

  it('a security level above what the user has answers 502 snmp-auth', async () => {
    const res = await post('/snmp/get', { ...v3({ ...TEST_USERS.sha, level: 'authPriv', privProtocol: 'aes', privKey: 'some-priv-key' }), oids: ['sysName.0'] });
    expect(res.status).toBe(502);
    expect(res.json.type).toBe('/problems/snmp-auth');
    expect(res.json.snmp.reason).toBe('unsupportedSecurityLevel');
  });

  it('an unknown MIB name answers 400 naming it', async () => {
    const res = await post('/snmp/get', { oids: ['sysName.0', 'NO-SUCH-MIB::frobnicator.0'] });
    expect(res.status).toBe(400);
    expect(res.json.detail).toContain('NO-SUCH-MIB::frobnicator');
  });

  it('a name that does not resolve answers 502 target-unresolvable', async () => {
    const res = await post('/snmp/get', { host: 'no-such-host.invalid', oids: ['sysName.0'] });
    expect(res.status).toBe(502);
    expect(res.json.type).toBe('/problems/target-unresolvable');
  });
});

describe('IPv6', () => {
  it('get and walk over ::1', async () => {
    const get = await post('/snmp/get', { host: '::1', oids: ['sysName.0'] });
    expect(get.status, get.text).toBe(200);
    expect(get.json.varbinds[0].value).toBe('netprobe-test-agent');
    const walk = await post('/snmp/walk', { host: '[::1]', ...v3(TEST_USERS.aes256r), oid: 'system' });
    expect(walk.status, walk.text).toBe(200);
    expect(walk.json.varbinds.length).toBeGreaterThan(5);
  });

  it('a name that resolves to ::1 (localhost) works', async () => {
    const res = await post('/snmp/get', { host: 'localhost', oids: ['sysName.0'] });
    expect(res.status, res.text).toBe(200);
  });
});

describe('secrets', () => {
  it('community, authKey and privKey never appear in responses or logs', async () => {
    const secrets = ['not-the-community', 'not-the-password', TEST_USERS.aes.privKey, TEST_USERS.aes.authKey, COMMUNITY_RW, TEST_USERS.des.privKey];
    const bodies = [
      await post('/snmp/get', { community: 'not-the-community', timeoutMs: 100, retries: 0, oids: ['sysName.0'] }),
      await post('/snmp/get', { ...v3({ ...TEST_USERS.aes, authKey: 'not-the-password' }), oids: ['sysName.0'] }),
      await post('/snmp/set', { ...v3(TEST_USERS.aes), varbinds: [{ oid: 'sysDescr.0', type: 'OctetString', value: 'x' }] }),
      await post('/snmp/set', { community: COMMUNITY_RW, varbinds: [{ oid: 'sysDescr.0', type: 'OctetString', value: 'x' }] }),
      await post('/snmp/get', { ...v3(TEST_USERS.des), oids: ['sysName.0'] }),
      await post('/snmp/get', { community: 'not-the-community', oids: ['bad oid!'] }),
    ];
    const everything = `${bodies.map((b) => b.text).join('\n')}\n${logs.text()}`;
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
