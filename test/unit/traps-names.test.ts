import { describe, expect, it, vi } from 'vitest';
import { MibResolver } from '../../src/snmp/mib.ts';
import { TrapOidNames } from '../../src/snmp/trap-names.ts';

const ACME = {
  file: 'ACME-TRAP-MIB.txt',
  text: `ACME-TRAP-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises FROM SNMPv2-SMI;
acmeTrapRoot OBJECT IDENTIFIER ::= { enterprises 99997 }
END
`,
};
const UNDER_ACME = '1.3.6.1.4.1.99997.1.2';

describe('TrapOidNames: the trap receiver\'s cache of MIB names', () => {
  it('names as the resolver does, looking each OID up once', () => {
    const mib = MibResolver.create({ mibDirs: [] });
    const names = new TrapOidNames(mib);
    for (const oid of ['1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.2.7', '1.3.6.1.2.1.1.3.0', '1.3.6.1.4.1.99997.1', '0.0.1']) {
      expect(names.nameOf(oid)).toBe(mib.nameOf(oid));
      expect(names.lookup(oid)).toEqual(mib.lookup(oid));
    }
    const lookups = vi.spyOn(mib, 'lookup');
    const names2 = vi.spyOn(mib, 'nameOf');
    names.lookup('1.3.6.1.2.1.2.2.1.2.8');
    names.nameOf('1.3.6.1.2.1.2.2.1.2.8');
    const [first, second] = [lookups.mock.calls.length, names2.mock.calls.length];
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      names.lookup('1.3.6.1.2.1.2.2.1.2.8');
      names.nameOf('1.3.6.1.2.1.2.2.1.2.8');
    }
    // Asked again, the resolver is not.
    expect([lookups.mock.calls.length, names2.mock.calls.length]).toEqual([first, second]);
  });

  it('an upload, a deletion, and a change replayed from another process (no onChange call) all reach the cache', async () => {
    const mib = MibResolver.create({ mibDirs: [] });
    const names = new TrapOidNames(mib);
    expect(names.nameOf(UNDER_ACME)).toBe('SNMPv2-SMI::enterprises.99997.1.2');
    expect(names.lookup(UNDER_ACME)?.node.qualified).toBe('SNMPv2-SMI::enterprises');

    await mib.upload([ACME]);
    expect(names.nameOf(UNDER_ACME)).toBe('ACME-TRAP-MIB::acmeTrapRoot.1.2');
    expect(names.lookup(UNDER_ACME)?.node.qualified).toBe('ACME-TRAP-MIB::acmeTrapRoot');

    await mib.remove('ACME-TRAP-MIB');
    expect(names.nameOf(UNDER_ACME)).toBe('SNMPv2-SMI::enterprises.99997.1.2');

    await mib.apply({ op: 'upload', files: [ACME] });
    expect(names.nameOf(UNDER_ACME)).toBe('ACME-TRAP-MIB::acmeTrapRoot.1.2');
    expect(names.lookup(UNDER_ACME)?.suffix).toBe('1.2');
  });

  it('stays bounded: a sender of ever new OIDs does not grow it past its limit', () => {
    const mib = MibResolver.create({ mibDirs: [] });
    const names = new TrapOidNames(mib);
    for (let i = 0; i < 20_000; i++) names.nameOf(`1.3.6.1.4.1.99996.${i}`);
    const kept = (names as unknown as { names: Map<string, unknown> }).names.size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(8_192);
    expect(names.nameOf('1.3.6.1.4.1.99996.5')).toBe('SNMPv2-SMI::enterprises.99996.5');
  });
});
