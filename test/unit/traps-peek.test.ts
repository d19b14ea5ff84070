import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { peekSnmpVersion } from '../../src/snmp/reply.ts';

describe('peekSnmpVersion', () => {
  it('reads msgVersion from real encodings, short and long length forms', () => {
    const short = Buffer.from('302902010104067075626c6963a71c0204', 'hex'); // v2c, length 0x29
    expect(peekSnmpVersion(short)).toBe(1);
    const long = Buffer.concat([Buffer.from('3081c8020100', 'hex'), Buffer.alloc(200)]); // v1, length 0x81 0xc8
    expect(peekSnmpVersion(long)).toBe(0);
    const v3 = Buffer.concat([Buffer.from('30820100020103', 'hex'), Buffer.alloc(256)]);
    expect(peekSnmpVersion(v3)).toBe(3);
    expect(snmp.Version2c).toBe(1);
  });

  it('gives up on anything else', () => {
    for (const hex of ['', '30', '300302', '310502010100', '3005040101', '30050202000100', '3085ffffffffff']) {
      expect(peekSnmpVersion(Buffer.from(hex, 'hex')), hex).toBeUndefined();
    }
  });
});
