import { describe, expect, it } from 'vitest';
import {
  compareOids,
  csvField,
  displayValue,
  expiryLevel,
  featuresOf,
  hexOf,
  parseTargets,
  perSecond,
  pivotTable,
  sortRows,
  timingSegments,
  toCsv,
  toNdjson,
  varbindSummary,
} from '../../console/util.js';

/** The console's pure helpers (console/util.js), run in Node. */

describe('exports', () => {
  it('CSV fields are quoted when needed and never start a spreadsheet formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-12')).toBe('-12');
    expect(csvField(null)).toBe('');
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('CSV and NDJSON documents', () => {
    const columns = [{ key: 'a', label: 'A' }, { key: 'b', label: 'B', value: (row: { a: number }) => row.a * 2 }];
    expect(toCsv(columns, [{ a: 1 }, { a: 2 }])).toBe('A,B\r\n1,2\r\n2,4\r\n');
    expect(toNdjson([{ a: 1 }, { b: 'x' }])).toBe('{"a":1}\n{"b":"x"}\n');
  });
});

describe('sorting', () => {
  it('OIDs by arcs, numbers by value, text naturally, empty cells last', () => {
    expect(['1.3.6.1.10', '1.3.6.1.2', '1.3.6.1.2.1'].sort(compareOids)).toEqual(['1.3.6.1.2', '1.3.6.1.2.1', '1.3.6.1.10']);
    const rows = [{ v: 10 }, { v: '9' }, { v: null }, { v: 2 }];
    expect(sortRows(rows, (r) => r.v, 'ascending').map((r) => r.v)).toEqual([2, '9', 10, null]);
    expect(sortRows(rows, (r) => r.v, 'descending').map((r) => r.v)).toEqual([10, '9', 2, null]);
    expect(sortRows([{ v: 'ifDescr.10' }, { v: 'ifDescr.9' }], (r) => r.v, 'ascending').map((r) => r.v)).toEqual(['ifDescr.9', 'ifDescr.10']);
  });
});

describe('features from the OpenAPI document', () => {
  it('shows only what the document has', () => {
    const document = { paths: { '/snmp/get': { post: {} }, '/snmp/walk': { post: {} }, '/snmp/mibs': { post: {} } } };
    expect(featuresOf(document)).toEqual({ get: true, walk: true, table: false, mibs: false, translate: false, traps: false, probe: false });
    expect(featuresOf({ paths: { '/snmp/table': { post: {} }, '/snmp/mibs': { get: {} }, '/snmp/translate': { get: {} } } })).toMatchObject({ table: true, mibs: true, translate: true });
    expect(featuresOf(undefined).get).toBe(false);
  });
});

describe('varbinds', () => {
  it('hex of binary and text values; the MIB rendering beside the raw value', () => {
    expect(hexOf({ type: 'OctetString', value: '0a1bff', encoding: 'hex' })).toBe('0a 1b ff');
    expect(hexOf({ type: 'OctetString', value: 'é' })).toBe('c3 a9');
    expect(hexOf({ type: 'Integer', value: 3 })).toBe('');
    expect(displayValue({ type: 'Integer', value: 1, enum: 'up' })).toBe('up (1)');
    expect(displayValue({ type: 'ObjectIdentifier', value: '1.3.6.1.2.1.2', valueName: 'IF-MIB::interfaces' })).toBe('IF-MIB::interfaces (1.3.6.1.2.1.2)');
    expect(displayValue({ type: 'NoSuchInstance', value: null })).toBe('NoSuchInstance');
  });

  it('a walk of a table pivots into rows by index and columns by name', () => {
    const walk = [
      { oid: '1.3.6.1.2.1.2.2.1.1.1', name: 'IF-MIB::ifIndex.1', type: 'Integer', value: 1 },
      { oid: '1.3.6.1.2.1.2.2.1.1.10', name: 'IF-MIB::ifIndex.10', type: 'Integer', value: 10 },
      { oid: '1.3.6.1.2.1.2.2.1.2.1', name: 'IF-MIB::ifDescr.1', type: 'OctetString', value: 'lo' },
      { oid: '1.3.6.1.2.1.2.2.1.2.10', name: 'IF-MIB::ifDescr.10', type: 'OctetString', value: 'eth0' },
      { oid: '1.3.6.1.2.1.2.2.1.8.10', name: 'IF-MIB::ifOperStatus.10', type: 'Integer', value: 1, enum: 'up' },
    ];
    expect(pivotTable(walk)).toEqual({
      columns: ['ifIndex', 'ifDescr', 'ifOperStatus'],
      rows: [
        { index: '1', values: { ifIndex: '1', ifDescr: 'lo' } },
        { index: '10', values: { ifIndex: '10', ifDescr: 'eth0', ifOperStatus: 'up (1)' } },
      ],
    });
    expect(pivotTable([walk[0]])).toBeUndefined();
    expect(pivotTable([{ oid: '1.3.6.1.4.1.9.1', type: 'Integer', value: 1 }, ...walk])).toBeUndefined();
  });
});

describe('traps', () => {
  it('summarises the payload varbinds, skipping sysUpTime.0 and snmpTrapOID.0', () => {
    const event = {
      varbinds: [
        { oid: '1.3.6.1.2.1.1.3.0', name: 'SNMPv2-MIB::sysUpTime.0', type: 'TimeTicks', value: 5 },
        { oid: '1.3.6.1.6.3.1.1.4.1.0', name: 'SNMPv2-MIB::snmpTrapOID.0', type: 'ObjectIdentifier', value: '1.3.6.1.6.3.1.1.5.3' },
        { oid: '1.3.6.1.2.1.2.2.1.1.2', name: 'IF-MIB::ifIndex.2', type: 'Integer', value: 2 },
        { oid: '1.3.6.1.4.1.99999.1.1', type: 'OctetString', value: 'x' },
        { oid: '1.3.6.1.4.1.99999.1.2', type: 'OctetString', value: 'y' },
      ],
    };
    expect(varbindSummary(event)).toBe('ifIndex.2=2, 1.3.6.1.4.1.99999.1.1=x, +1 more');
  });

  it('counts per second over a window ending now', () => {
    const now = 1_000_000_500;
    const [xs, counts] = perSecond([now - 100, now - 200, now - 1500, now - 10_000], now, 5);
    expect(xs).toEqual([999_996, 999_997, 999_998, 999_999, 1_000_000]);
    expect(counts).toEqual([0, 0, 0, 1, 2]);
  });
});

describe('probes', () => {
  it('reads a pasted list of targets and says which lines it could not read', () => {
    expect(parseTargets('127.0.0.1:22\n  tls://example.net:443 # web\n[::1]:53\nUDP://127.0.0.1:161\n\n# only a comment')).toEqual({
      targets: [
        { host: '127.0.0.1', port: 22 },
        { host: 'example.net', port: 443, protocol: 'tls' },
        { host: '::1', port: 53 },
        { host: '127.0.0.1', port: 161, protocol: 'udp' },
      ],
      errors: [],
    });
    expect(parseTargets('host-without-port\n127.0.0.1:70000\nftp://x:21').errors.map((e) => e.line)).toEqual([1, 2, 3]);
  });

  it('timing bars share one scale; absent phases are left out', () => {
    expect(timingSegments({ dnsMs: 0, connectMs: 5, tlsMs: 15, firstByteMs: null, totalMs: 20 }, 40)).toEqual([
      { key: 'dnsMs', label: 'DNS', ms: 0, percent: 0 },
      { key: 'connectMs', label: 'connect', ms: 5, percent: 12.5 },
      { key: 'tlsMs', label: 'TLS', ms: 15, percent: 37.5 },
    ]);
    expect([expiryLevel(-1), expiryLevel(0), expiryLevel(29), expiryLevel(30)]).toEqual(['expired', 'soon', 'soon', 'ok']);
  });
});
