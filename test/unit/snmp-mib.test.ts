import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../src/errors.ts';
import { closestNames, MibResolver } from '../../src/snmp/mib.ts';
import { typedSetVarbind } from '../../src/snmp/set-type.ts';
import { MAX_OID_ARCS, numericOidProblem } from '../../src/snmp/oid.ts';

const mib = MibResolver.create({ mibDirs: [] });

describe('MibResolver.toNumeric', () => {
  it.each([
    ['1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.1.5.0'],
    ['.1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.1.5.0'],
    ['SNMPv2-MIB::sysName.0', '1.3.6.1.2.1.1.5.0'],
    ['sysName.0', '1.3.6.1.2.1.1.5.0'],
    ['IF-MIB::ifDescr.2', '1.3.6.1.2.1.2.2.1.2.2'],
    ['IF-MIB::linkDown', '1.3.6.1.6.3.1.1.5.3'],
    ['ifHCInOctets.1', '1.3.6.1.2.1.31.1.1.1.6.1'],
    ['IF-MIB::ifTable', '1.3.6.1.2.1.2.2'],
    ['RFC1213-MIB::sysName.0', '1.3.6.1.2.1.1.5.0'],
  ])('%s → %s', (input, expected) => {
    expect(mib.toNumeric(input)).toBe(expected);
  });

  it('names the unknown name in an INVALID_INPUT error', () => {
    const attempt = () => mib.toNumeric('NOPE-MIB::fooBar.0');
    expect(attempt).toThrow(AdapterError);
    expect(attempt).toThrow('unknown MIB name "NOPE-MIB::fooBar"');
    try {
      attempt();
    } catch (err) {
      expect((err as AdapterError).code).toBe('INVALID_INPUT');
      expect((err as AdapterError).subsystem).toBe('snmp');
    }
    expect(() => mib.toNumeric('notAnObject')).toThrow('unknown MIB name "notAnObject"');
  });

  it('rejects malformed numeric OIDs and non-numeric instance suffixes', () => {
    expect(() => mib.toNumeric('1.3.x.1')).toThrow(AdapterError);
    expect(() => mib.toNumeric('1.3.6.1.99999999999')).toThrow(AdapterError);
    expect(() => mib.toNumeric('5.1')).toThrow(AdapterError);
    expect(() => mib.toNumeric('sysName.abc')).toThrow(AdapterError);
  });
});

describe('MibResolver.nameOf', () => {
  it.each([
    ['1.3.6.1.2.1.1.5.0', 'SNMPv2-MIB::sysName.0'],
    ['1.3.6.1.2.1.1.5', 'SNMPv2-MIB::sysName'],
    ['1.3.6.1.2.1.2.2.1.2.2', 'IF-MIB::ifDescr.2'],
    ['1.3.6.1.2.1.31.1.1.1.6.1', 'IF-MIB::ifHCInOctets.1'],
    ['1.3.6.1.6.3.1.1.5.3', 'IF-MIB::linkDown'],
    ['.1.3.6.1.2.1.1.1.0', 'SNMPv2-MIB::sysDescr.0'],
  ])('%s → %s', (oid, name) => {
    expect(mib.nameOf(oid)).toBe(name);
  });

  it('is undefined when no loaded MIB knows any prefix', () => {
    expect(mib.nameOf('2.5.4.3')).toBeUndefined();
    expect(mib.nameOf('1')).toBeUndefined();
  });

  it('round-trips with toNumeric', () => {
    for (const oid of ['1.3.6.1.2.1.2.2.1.6.3', '1.3.6.1.2.1.1.9.1.2.1']) {
      expect(mib.toNumeric(mib.nameOf(oid)!)).toBe(oid);
    }
  });
});

describe('MibResolver.lookup in walk order', () => {
  /** The definition: the longest known prefix, found among every node of the index. */
  const known = new Set(['0', '1', '2'].flatMap((root) => mib.oidsUnder(root)));
  const reference = (oid: string) => {
    for (let end = oid.length; end > 0; end = oid.lastIndexOf('.', end - 1)) {
      const prefix = oid.slice(0, end);
      if (known.has(prefix)) return { oid: prefix, suffix: end === oid.length ? '' : oid.slice(end + 1) };
    }
    return undefined;
  };

  it('names every instance as the longest known prefix, whatever was looked up before', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const nodes = [...known];
    // Instances of every node (as a walk meets them: in order, several per column), then the same shuffled.
    const instances = nodes.flatMap((oid) => [oid, `${oid}.0`, `${oid}.1`, `${oid}.${random(100)}.${random(5)}`, `${oid}.4294967295`]);
    const shuffled = [...instances].sort(() => random(3) - 1);
    for (const oid of [...instances, ...shuffled, '1.3.6.1.4.1.99999.1', '2.5.4.3']) {
      const found = mib.lookup(oid);
      expect(found && { oid: found.node.oid, suffix: found.suffix }, oid).toEqual(reference(oid));
    }
  });
});

describe('MibResolver.create with extra MIB directories', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netprobe-mibs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads good files in dependency order and skips bad ones without throwing', () => {
    // ACME-CHILD-MIB sorts before ACME-MIB but imports it.
    writeFileSync(
      join(dir, 'ACME-CHILD-MIB.txt'),
      `ACME-CHILD-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, Integer32 FROM SNMPv2-SMI acmeRoot FROM ACME-MIB;
acmeWidgets OBJECT-TYPE
    SYNTAX Integer32
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "Widgets."
    ::= { acmeRoot 1 }
END
`,
    );
    writeFileSync(
      join(dir, 'ACME-MIB.txt'),
      `ACME-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises FROM SNMPv2-SMI;
acmeRoot OBJECT IDENTIFIER ::= { enterprises 99999 }
END
`,
    );
    writeFileSync(join(dir, 'GARBAGE.txt'), 'this is not { a MIB ::=\n');
    writeFileSync(join(dir, 'BROKEN-MIB.txt'), 'BROKEN-MIB DEFINITIONS ::= BEGIN\n broken OBJECT IDENTIFIER ::= { nowhere 5 }\nEND\n');

    const resolver = MibResolver.create({ mibDirs: [dir, join(dir, 'does-not-exist')] });
    expect(resolver.toNumeric('ACME-CHILD-MIB::acmeWidgets.0')).toBe('1.3.6.1.4.1.99999.1.0');
    expect(resolver.nameOf('1.3.6.1.4.1.99999.1.0')).toBe('ACME-CHILD-MIB::acmeWidgets.0');
    expect(resolver.nameOf('1.3.6.1.4.1.99999.7')).toBe('ACME-MIB::acmeRoot.7');
    const skippedFiles = resolver.skipped.map((s) => s.file);
    expect(skippedFiles).toEqual(
      expect.arrayContaining([join(dir, 'GARBAGE.txt'), join(dir, 'BROKEN-MIB.txt'), join(dir, 'does-not-exist')]),
    );
    // The base modules still work after the bad files.
    expect(resolver.toNumeric('IF-MIB::ifDescr.2')).toBe('1.3.6.1.2.1.2.2.1.2.2');
  });
});

describe('numericOidProblem: the one definition of a valid numeric OID', () => {
  it.each([
    '0.0',
    '1.3',
    '1.39.1',
    '2.39',
    '2.25.1',
    '1.3.6.1.4.1.4294967295',
    Array.from({ length: MAX_OID_ARCS }, (_, i) => (i < 2 ? '1' : String(i))).join('.'),
  ])('%s is valid', (oid) => {
    expect(numericOidProblem(oid)).toBeUndefined();
  });

  it.each([
    ['1', /at least two arcs/],
    ['1.40.1', /under 1 the second arc must be at most 39, not 40/],
    ['0.40', /under 0 the second arc must be at most 39, not 40/],
    ['2.40', /under 2 the second arc must be at most 39 here, not 40/],
    ['2.4294967295', /under 2 the second arc must be at most 39 here, not 4294967295/],
    ['3.1', /first arc must be 0, 1 or 2, not 3/],
    ['1.3.06', /arc 06 has a leading zero/],
    ['00.3', /arc 00 has a leading zero/],
    ['1.3.4294967296', /arc 4294967296 is larger than 4294967295/],
    ['1.3.99999999999', /arc 99999999999 is larger than 4294967295/],
    [Array.from({ length: MAX_OID_ARCS + 1 }, () => '1').join('.'), /129 arcs; at most 128/],
    ['1..3', /only digits separated by single dots/],
    ['1.3.', /only digits separated by single dots/],
    ['1.3.-1', /only digits separated by single dots/],
    ['', /only digits separated by single dots/],
  ])('%s is refused: %s', (oid, reason) => {
    expect(numericOidProblem(oid)).toMatch(reason);
  });
});

describe('MibResolver.toNumeric refuses OIDs that would be rewritten on the wire', () => {
  const refusal = (oid: string) => {
    try {
      mib.toNumeric(oid);
    } catch (err) {
      return err as AdapterError;
    }
    throw new Error(`${oid} was accepted`);
  };

  it.each([
    ['1.40.1', '"1.40.1" is not a valid OID: under 1 the second arc must be at most 39, not 40'],
    ['.2.4294967295', '".2.4294967295" is not a valid OID: under 2 the second arc must be at most 39 here'],
    ['1.3.6.1.2.1.1.5.00', '"1.3.6.1.2.1.1.5.00" is not a valid OID: arc 00 has a leading zero'],
  ])('%s → INVALID_INPUT naming the OID and the reason', (oid, message) => {
    const err = refusal(oid);
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', subsystem: 'snmp' });
    expect(err.message).toContain(message);
  });

  it('a MIB name plus a numeric suffix passes the same check once resolved', () => {
    expect(refusal('sysName.01').message).toBe('"sysName.01" is 1.3.6.1.2.1.1.5.01, which is not a valid OID: arc 01 has a leading zero');
    expect(refusal('SNMPv2-MIB::sysName.4294967296').message).toMatch(/is 1\.3\.6\.1\.2\.1\.1\.5\.4294967296, .*larger than 4294967295/);
    const suffixOf = (arcs: number) => Array.from({ length: arcs }, () => '1').join('.');
    expect(mib.toNumeric(`sysName.${suffixOf(120)}`).split('.')).toHaveLength(128);
    expect(refusal(`sysName.${suffixOf(121)}`).message).toMatch(/it has 129 arcs; at most 128 are allowed$/);
    expect(mib.toNumeric('sysName.4294967295')).toBe('1.3.6.1.2.1.1.5.4294967295');
  });
});

describe('SET types from the MIB (typedSetVarbind)', () => {
  const typed = (oid: string, value: string | number) => typedSetVarbind({ oid, value }, mib.toNumeric(oid), mib, 0);

  it.each([
    ['sysContact.0', 'noc', 'OctetString', 'noc'],
    ['IF-MIB::ifAdminStatus.1', 'down', 'Integer', 2],
    ['IF-MIB::ifAdminStatus.1', 1, 'Integer', 1],
    ['sysObjectID.0', '1.3.6.1.4.1.8072', 'ObjectIdentifier', '1.3.6.1.4.1.8072'],
    ['ipAdEntAddr.127.0.0.1', '127.0.0.1', 'IpAddress', '127.0.0.1'],
    ['IF-MIB::ifHCInOctets.1', '5', 'Counter64', '5'],
  ])('%s = %s → %s %s', (oid, value, type, wireValue) => {
    expect(typed(oid, value)).toMatchObject({ type, value: wireValue });
  });

  it('a type given wins over the MIB', () => {
    expect(typedSetVarbind({ oid: 'sysContact.0', type: 'Integer', value: 5 }, '1.3.6.1.2.1.1.4.0', mib, 0)).toMatchObject({ type: 'Integer', value: 5 });
  });

  it('refuses what has no SYNTAX or does not fit it, naming the field', () => {
    expect(() => typed('IF-MIB::ifTable', 1)).toThrow(/give a type: IF-MIB::ifTable is SEQUENCE OF IfEntry, which has no SET type/);
    expect(() => typed('1.3.6.1.4.1.99999.1.0', 1)).toThrow('give a type: no loaded MIB describes 1.3.6.1.4.1.99999.1.0 as an object (the nearest known node is SNMPv2-SMI::enterprises, an OBJECT IDENTIFIER)');
    expect(() => typed('sysContact.0', 5)).toThrow(/SNMPv2-MIB::sysContact is DisplayString \(OctetString\)/);
  });
});

describe('closestNames', () => {
  it('suggests near names, closest first, at most three, none for far ones', () => {
    expect(closestNames('sysNme', ['sysName', 'sysContact', 'sysNames', 'ifName'])).toEqual(['sysName']);
    expect(closestNames('ifHCInOctet', ['ifHCInOctets', 'ifHCOutOctets', 'ifInOctets'])).toEqual(['ifHCInOctets']);
    expect(closestNames('SYSNAME', ['sysName'])).toEqual(['sysName']);
    expect(closestNames('frobnicator', ['sysName', 'ifDescr'])).toEqual([]);
    expect(closestNames('ab', ['ac', 'ad', 'ae', 'af'])).toHaveLength(3);
  });
});
