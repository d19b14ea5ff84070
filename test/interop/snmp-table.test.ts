import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { MibResolver } from '../../src/snmp/mib.ts';
import type { SnmpTableResponse, TableColumn, TableRow } from '../../src/snmp/schemas.ts';
import { jsonRequest, testDeps } from '../helpers/app.ts';
import { testSnmpService } from '../helpers/deps.ts';
import { COMMUNITY_RO, startIsolatedSnmpd, TEST_USERS, type IsolatedSnmpd } from '../helpers/snmpd.ts';

/**
 * POST /snmp/table against a real snmpd, row by row and cell by cell against Net-SNMP's own snmptable
 * reading the very MIB files the service ships (-M mibs -m ALL), and round trip for round trip.
 */

const run = promisify(execFile);
const MIBS = fileURLToPath(new URL('../../mibs', import.meta.url));
const SEPARATOR = '\t';
const deps = testDeps();
const app = createApp(deps);
let snmpd: IsolatedSnmpd;

// An agent in a namespace of its own: its TCP/IP tables do not follow what else runs on the machine.
beforeAll(async () => {
  snmpd = await startIsolatedSnmpd([TEST_USERS.noAuth], { extraConfig: ['extend hello /bin/echo hello world', 'extend answer /bin/echo 42'] });
});

afterAll(async () => {
  await snmpd?.stop();
});

interface CliTable {
  header: string[];
  rows: Map<string, string[]>;
}

/** snmptable -Ci -Cf TAB with the shipped MIBs; rows by their printed index. */
async function snmptable(port: number, table: string): Promise<CliTable> {
  const { stdout } = await run('snmptable', ['-v2c', '-c', COMMUNITY_RO, '-M', MIBS, '-m', 'ALL', '-Ci', '-Cf', SEPARATOR, `udp:127.0.0.1:${port}`, table], {
    env: { ...process.env, MIBS: 'ALL', SNMPCONFPATH: '/nonexistent' },
    timeout: 30_000,
  });
  const lines = stdout.split('\n');
  const headerAt = lines.findIndex((line) => line.startsWith(`index${SEPARATOR}`));
  if (headerAt < 0) return { header: [], rows: new Map() };
  const header = lines[headerAt].split(SEPARATOR);
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(headerAt + 1)) {
    if (line === '') continue;
    const cells = line.split(SEPARATOR);
    rows.set(cells[0], cells.slice(1));
  }
  return { header: header.slice(1), rows };
}

async function table(body: Record<string, unknown>, port = snmpd.port): Promise<SnmpTableResponse> {
  const res = await app.request(jsonRequest('/snmp/table', { host: '127.0.0.1', port, community: COMMUNITY_RO, ...body }));
  const json = (await res.json()) as SnmpTableResponse;
  expect(res.status, JSON.stringify(json).slice(0, 500)).toBe(200);
  return json;
}

/** The index as snmptable -Ci prints it: integers and addresses as they are, strings quoted, joined by dots. */
function netSnmpIndex(row: TableRow, response: SnmpTableResponse): string {
  return response.index
    .map(({ name, syntax }) => {
      const value = row.indexValues[name];
      return typeof value === 'number' || syntax === 'IpAddress' ? String(value) : `"${value}"`;
    })
    .join('.');
}

/** A cell as snmptable prints it, from what the service returned. */
function netSnmpCell(row: TableRow, column: TableColumn): string {
  const { name } = column;
  const value = row.values[name];
  if (value === null) return '?';
  let text: string;
  if (row.enum?.[name] !== undefined) text = row.enum[name];
  else if (row.valueName?.[name] !== undefined) text = row.valueName[name];
  else if (row.duration?.[name] !== undefined) text = netSnmpTicks(value as number);
  else if (row.display?.[name] !== undefined && /^(Phys|Mac)Address$/.test(column.syntax)) text = row.display[name].replace(/(^|:)0(?=[0-9a-f])/g, '$1');
  else if (row.encoding?.[name] === 'hex') text = (value as string).toUpperCase().replace(/(..)(?=.)/g, '$1 ');
  else text = String(value);
  return column.units === undefined ? text : `${text} ${column.units}`;
}

function netSnmpTicks(ticks: number): string {
  const days = Math.floor(ticks / 8_640_000);
  const hours = Math.floor(ticks / 360_000) % 24;
  const minutes = Math.floor(ticks / 6_000) % 60;
  const seconds = Math.floor(ticks / 100) % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days}:${hours}:${p(minutes)}:${p(seconds)}.${p(ticks % 100)}`;
}

/** OBJECT IDENTIFIER names may come from another module when two define the same OID: compare the object. */
const comparable = (text: string) => text.replace(/^[A-Za-z][\w-]*::/, '');

/**
 * Every row and cell equal to snmptable's. snmptable runs before and after the service, and a cell that
 * changed in between (a counter on a live machine) must lie between its two readings; rows that come and
 * go in between (connections) must be in one of them.
 */
async function compared(tableNames: string[], fetch: () => Promise<SnmpTableResponse>) {
  const before = await Promise.all(tableNames.map((name) => snmptable(snmpd.port, name)));
  const response = await fetch();
  const after = await Promise.all(tableNames.map((name) => snmptable(snmpd.port, name)));
  return {
    response,
    expectSame(tableName: string, columns: TableColumn[] = response.columns) {
      const at = tableNames.indexOf(tableName);
      expectSameAsSnmptable(response, tableName, columns, before[at], after[at]);
    },
  };
}

function expectSameAsSnmptable(response: SnmpTableResponse, tableName: string, columns: TableColumn[], before: CliTable, afterTable: CliTable): void {
  const ours = new Map(response.rows.map((row) => [netSnmpIndex(row, response), row]));
  for (const index of before.rows.keys()) {
    if (afterTable.rows.has(index)) expect([...ours.keys()], `${tableName}: row ${index}`).toContain(index);
  }
  expect(ours.size).toBeGreaterThan(0);
  for (const [index, row] of ours) {
    const first = before.rows.get(index);
    const last = afterTable.rows.get(index);
    expect(first ?? last, `${tableName}: row ${index} is not in snmptable's output`).toBeDefined();
    for (const column of columns) {
      const at = (first ? before : afterTable).header.indexOf(column.name);
      expect(at, `${tableName}: snmptable has no column ${column.name}`).toBeGreaterThanOrEqual(0);
      const mine = netSnmpCell(row, column);
      const readings = [first?.[at], last?.[at]].filter((v): v is string => v !== undefined);
      const where = `${tableName} row ${index} column ${column.name}`;
      if (readings.length === 2 && readings[0] !== readings[1] && /^\d+( |$)/.test(readings[0])) {
        const [low, high] = readings.map((r) => Number.parseFloat(r)).sort((a, b) => a - b);
        expect(Number.parseFloat(mine), where).toBeGreaterThanOrEqual(low);
        expect(Number.parseFloat(mine), where).toBeLessThanOrEqual(high);
      } else if (readings.length === 2 && readings[0] !== readings[1]) {
        expect(readings.map(comparable), where).toContain(comparable(mine));
      } else {
        expect(comparable(mine), where).toBe(comparable(readings[0]));
      }
    }
  }
}

describe('POST /snmp/table against snmpd, equal to snmptable -Ci -Cf … -M mibs -m ALL', () => {
  it('TCP-MIB::tcpConnTable: composite index (address, port, address, port)', async () => {
    const { response, expectSame } = await compared(['TCP-MIB::tcpConnTable'], () => table({ table: 'TCP-MIB::tcpConnTable' }));
    expect(response.index.map((i) => i.name)).toEqual(['tcpConnLocalAddress', 'tcpConnLocalPort', 'tcpConnRemAddress', 'tcpConnRemPort']);
    // The namespace's listener and both ends of the two connections the bridge holds to it.
    expect(response.rows.length).toBeGreaterThanOrEqual(5);
    expect(response.rows.filter((r) => r.indexValues.tcpConnRemPort !== 0).length).toBeGreaterThanOrEqual(4);
    const row = response.rows[0];
    expect(Object.keys(row.indexValues)).toHaveLength(4);
    expect(isIP(row.indexValues.tcpConnLocalAddress as string)).toBe(4);
    expect(row.indexValues.tcpConnLocalPort).toBe(row.values.tcpConnLocalPort);
    expectSame('TCP-MIB::tcpConnTable');
  });

  it('IP-MIB::ipAddrTable, named after IP-MIB rather than the obsolete RFC1213-MIB', async () => {
    const { response, expectSame } = await compared(['IP-MIB::ipAddrTable'], () => table({ table: 'ipAddrTable' }));
    expect(response.table).toEqual({ name: 'IP-MIB::ipAddrTable', oid: '1.3.6.1.2.1.4.20' });
    expect(response.rows.find((r) => r.indexValues.ipAdEntAddr === '127.0.0.1')).toBeDefined();
    expectSame('IP-MIB::ipAddrTable');
  });

  it('HOST-RESOURCES-MIB::hrStorageTable, with OBJECT IDENTIFIER values named and units', async () => {
    const { response, expectSame } = await compared(['HOST-RESOURCES-MIB::hrStorageTable'], () => table({ table: 'HOST-RESOURCES-MIB::hrStorageTable' }));
    expect(response.rows.some((r) => r.valueName?.hrStorageType === 'HOST-RESOURCES-TYPES::hrStorageRam')).toBe(true);
    expect(response.columns.find((c) => c.name === 'hrStorageAllocationUnits')?.units).toBe('Bytes');
    expectSame('HOST-RESOURCES-MIB::hrStorageTable');
  });

  it('IF-MIB::ifTable + augment IF-MIB::ifXTable joined on ifIndex, with null for the cells snmpd does not serve', async () => {
    const { response, expectSame } = await compared(['IF-MIB::ifTable', 'IF-MIB::ifXTable'], () => table({ table: 'IF-MIB::ifTable', augment: ['IF-MIB::ifXTable'] }));
    const ifColumns = response.columns.filter((c) => c.oid.startsWith('1.3.6.1.2.1.2.2.1.'));
    const ifXColumns = response.columns.filter((c) => c.oid.startsWith('1.3.6.1.2.1.31.1.1.1.'));
    expect(ifColumns.length).toBeGreaterThan(10);
    expect(ifXColumns.map((c) => c.name)).toContain('ifName');
    const lo = response.rows.find((r) => r.values.ifDescr === 'lo')!;
    expect(lo.values.ifName).toBe('lo');
    expect(lo.enum?.ifOperStatus).toBe('up');
    expect(lo.enum?.ifType).toBe('softwareLoopback');
    // snmpd serves no ifLinkUpDownTrapEnable: the cell is null, the row is still there.
    expect(lo.values.ifLinkUpDownTrapEnable).toBeNull();
    expectSame('IF-MIB::ifTable', ifColumns);
    expectSame('IF-MIB::ifXTable', ifXColumns);
  });

  it('NET-SNMP-EXTEND-MIB::nsExtendOutput1Table: rows keyed by the string index nsExtendToken', async () => {
    const { response, expectSame } = await compared(['NET-SNMP-EXTEND-MIB::nsExtendOutput1Table'], () => table({ table: 'NET-SNMP-EXTEND-MIB::nsExtendOutput1Table' }));
    expect(response.index).toEqual([{ name: 'nsExtendToken', syntax: 'DisplayString' }]);
    const hello = response.rows.find((r) => r.indexValues.nsExtendToken === 'hello');
    expect(hello).toMatchObject({ index: '5.104.101.108.108.111', values: { nsExtendOutput1Line: 'hello world', nsExtendResult: 0 } });
    expect(response.rows.find((r) => r.indexValues.nsExtendToken === 'answer')?.values.nsExtendOutput1Line).toBe('42');
    expectSame('NET-SNMP-EXTEND-MIB::nsExtendOutput1Table');
  });

  it('TCP-MIB::tcpListenerTable: InetAddressType + InetAddress decoded by the type', async () => {
    const response = await table({ table: 'TCP-MIB::tcpListenerTable' });
    expect(response.rows.length).toBeGreaterThan(0);
    for (const row of response.rows) {
      const type = row.indexValues.tcpListenerLocalAddressType;
      const address = row.indexValues.tcpListenerLocalAddress as string;
      expect([1, 2], JSON.stringify(row)).toContain(type);
      expect(isIP(address), JSON.stringify(row)).toBe(type === 1 ? 4 : 6);
      expect(typeof row.indexValues.tcpListenerLocalPort).toBe('number');
    }
  });

  it('costs no more round trips than snmptable', async () => {
    for (const tableName of ['TCP-MIB::tcpConnTable', 'IP-MIB::ipAddrTable', 'HOST-RESOURCES-MIB::hrStorageTable', 'IF-MIB::ifTable']) {
      snmpd.resetRequests();
      await snmptable(snmpd.port, tableName);
      const cli = snmpd.requests;
      snmpd.resetRequests();
      await table({ table: tableName });
      expect(snmpd.requests, tableName).toBeLessThanOrEqual(cli);
    }
    snmpd.resetRequests();
    await snmptable(snmpd.port, 'IF-MIB::ifTable');
    await snmptable(snmpd.port, 'IF-MIB::ifXTable');
    const both = snmpd.requests;
    snmpd.resetRequests();
    await table({ table: 'IF-MIB::ifTable', augment: ['IF-MIB::ifXTable'] });
    expect(snmpd.requests).toBeLessThan(both);
  });
});

describe('POST /snmp/table, more', () => {
  it('streams NDJSON: the description, one row per line, then a summary', async () => {
    const res = await app.request(
      jsonRequest('/snmp/table', { host: '127.0.0.1', port: snmpd.port, table: 'IF-MIB::ifEntry', columns: ['ifDescr', 'ifOperStatus'], maxRepetitions: 2 }, { headers: { accept: 'application/x-ndjson' } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await res.text()).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ table: { name: 'IF-MIB::ifTable' }, index: [{ name: 'ifIndex' }], columns: [{ name: 'ifDescr' }, { name: 'ifOperStatus' }] });
    const rows = lines.slice(1, -1);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.map((r) => r.indexValues.ifIndex)).toEqual([...rows.map((r) => r.indexValues.ifIndex)].sort((a, b) => a - b));
    expect(Object.keys(rows[0].values)).toEqual(['ifDescr', 'ifOperStatus']);
    expect(lines.at(-1)).toMatchObject({ summary: { truncated: false } });
  });

  it('maxRows cuts the table in index order and says so', async () => {
    const response = await table({ table: 'IF-MIB::ifTable', columns: ['ifDescr'], maxRows: 1, maxRepetitions: 1 });
    expect(response.rows).toHaveLength(1);
    expect(response.rows[0].indexValues.ifIndex).toBe(1);
    expect(response.truncated).toBe(true);
  });

  it('a table the MIBs do not describe is read by number: rows by raw suffix, columns by sub-identifier', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'netprobe-no-mibs-'));
    try {
      const bare = MibResolver.create({ mibDirs: [], bundledDir: empty });
      const snmp = testSnmpService({ mib: bare });
      const byNumber = await snmp.tableCollected({ ...base(), table: '1.3.6.1.2.1.2.2', maxRows: 100, maxRepetitions: 10 } as never);
      const named = await table({ table: 'IF-MIB::ifTable' });
      expect(byNumber.table).toEqual({ oid: '1.3.6.1.2.1.2.2' });
      expect(byNumber.rows.map((r) => r.index)).toEqual(named.rows.map((r) => r.index));
      expect(byNumber.rows[0].indexValues).toEqual({});
      expect(byNumber.columns.find((c) => c.name === '2')).toMatchObject({ oid: '1.3.6.1.2.1.2.2.1.2' });
      expect(byNumber.rows.map((r) => r.values['2'])).toEqual(named.rows.map((r) => r.values.ifDescr));
      snmp.close();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses what is not a table, and columns that are not the table’s', async () => {
    for (const [body, message] of [
      [{ table: 'SNMPv2-MIB::sysName' }, /is not a table/],
      [{ table: 'IF-MIB::ifTable', columns: ['hrStorageDescr'] }, /not a readable column/],
      [{ table: 'IF-MIB::ifTable', augment: ['TCP-MIB::tcpConnTable'] }, /do not join/],
      [{ table: 'NOPE-MIB::nopeTable' }, /unknown MIB name/],
    ] as const) {
      const res = await app.request(jsonRequest('/snmp/table', { host: '127.0.0.1', port: snmpd.port, ...body }));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toMatch(message);
    }
  });
});

describe('the standard MIB set in get and walk', () => {
  it('HOST-RESOURCES-MIB and UCD-SNMP-MIB names resolve in get, with values rendered beside the raw ones', async () => {
    const res = await app.request(
      jsonRequest('/snmp/get', {
        host: '127.0.0.1',
        port: snmpd.port,
        oids: ['HOST-RESOURCES-MIB::hrSystemUptime.0', 'HOST-RESOURCES-MIB::hrSystemDate.0', 'UCD-SNMP-MIB::memTotalReal.0', 'IF-MIB::ifOperStatus.1', 'IF-MIB::ifPhysAddress.2'],
      }),
    );
    const { varbinds } = (await res.json()) as { varbinds: Record<string, unknown>[] };
    expect(res.status).toBe(200);
    expect(varbinds[0]).toMatchObject({ name: 'HOST-RESOURCES-MIB::hrSystemUptime.0', type: 'TimeTicks', duration: expect.stringMatching(/^P/) });
    expect(varbinds[1]).toMatchObject({ name: 'HOST-RESOURCES-MIB::hrSystemDate.0', encoding: 'hex', display: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d([+-]\d\d:\d\d)?$/) });
    expect(varbinds[2]).toMatchObject({ name: 'UCD-SNMP-MIB::memTotalReal.0', type: 'Integer' });
    expect(varbinds[3]).toMatchObject({ name: 'IF-MIB::ifOperStatus.1', value: 1, enum: 'up' });
    if (varbinds[4].type === 'OctetString' && varbinds[4].value !== '') expect(varbinds[4].display).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2})+$/);
  });

  it('walks name HOST-RESOURCES-MIB and UCD-SNMP-MIB objects, not SNMPv2-SMI::mib-2.25…', async () => {
    for (const [root, module] of [
      ['HOST-RESOURCES-MIB::host', 'HOST-RESOURCES-MIB::'],
      ['UCD-SNMP-MIB::memory', 'UCD-SNMP-MIB::'],
    ] as const) {
      const res = await app.request(jsonRequest('/snmp/walk', { host: '127.0.0.1', port: snmpd.port, oid: root, maxVarbinds: 2000 }));
      const { varbinds } = (await res.json()) as { varbinds: { name?: string }[] };
      expect(varbinds.length, root).toBeGreaterThan(5);
      const named = varbinds.filter((vb) => vb.name?.startsWith(module)).length;
      expect(named / varbinds.length, root).toBeGreaterThan(0.95);
      expect(varbinds.some((vb) => vb.name?.startsWith('RFC1213-MIB::') || vb.name?.startsWith('SNMPv2-SMI::mib-2')), root).toBe(false);
    }
  });

  it('a walk of mib-2 names every varbind, after the current module whenever one defines the OID (RFC1213-MIB only for atTable, ipRouteTable…)', async () => {
    const res = await app.request(jsonRequest('/snmp/walk', { host: '127.0.0.1', port: snmpd.port, oid: '1.3.6.1.2.1', maxVarbinds: 50_000 }));
    const { varbinds } = (await res.json()) as { varbinds: { name?: string }[] };
    expect(varbinds.length).toBeGreaterThan(500);
    expect(varbinds.filter((vb) => !vb.name || /^(RFC1158-MIB|SNMPv2-SMI)::/.test(vb.name)).slice(0, 5)).toEqual([]);
    const current = ['SNMPv2-MIB', 'IF-MIB', 'IP-MIB', 'TCP-MIB', 'UDP-MIB', 'IP-FORWARD-MIB', 'HOST-RESOURCES-MIB'];
    const legacy = new Set(varbinds.filter((vb) => vb.name!.startsWith('RFC1213-MIB::')).map((vb) => vb.name!.split('::')[1].split('.')[0]));
    for (const object of legacy) {
      const oid = deps.snmp.mib.toNumeric(`RFC1213-MIB::${object}`);
      const newer = current.filter((module) => deps.snmp.mib.node(`${module}::${object}`)?.oid === oid);
      expect(newer, `RFC1213-MIB::${object}`).toEqual([]);
    }
  });
});

function base() {
  return { host: '127.0.0.1', port: snmpd.port, community: COMMUNITY_RO, timeoutMs: 2000, retries: 1 };
}
