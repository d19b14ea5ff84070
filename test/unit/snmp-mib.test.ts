import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../src/errors.ts';
import { MibResolver } from '../../src/snmp/mib.ts';

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
