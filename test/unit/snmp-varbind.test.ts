import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VarbindJsonSchema } from '../../src/snmp/schemas.ts';
import { MibResolver } from '../../src/snmp/mib.ts';
import { counter64ToDecimal, decimalToCounter64, isWellFormedOid, printableText, TYPE_TAGS, varbindToJson } from '../../src/snmp/varbind.ts';

const mib = MibResolver.create({ mibDirs: [] });
const json = (type: number, value: unknown, oid = '1.3.6.1.2.1.1.5.0') => varbindToJson({ oid, type, value }, mib);

describe('varbindToJson', () => {
  it('names the OID and keeps text OctetStrings as text', () => {
    expect(json(TYPE_TAGS.OctetString, Buffer.from('router1'))).toEqual({
      oid: '1.3.6.1.2.1.1.5.0',
      name: 'SNMPv2-MIB::sysName.0',
      type: 'OctetString',
      value: 'router1',
    });
    expect(json(TYPE_TAGS.OctetString, Buffer.from('Grüße\tok\r\n')).value).toBe('Grüße\tok\r\n');
    expect(json(TYPE_TAGS.OctetString, Buffer.alloc(0)).value).toBe('');
  });

  it('hex-encodes non-printable OctetStrings such as a MAC address', () => {
    expect(json(TYPE_TAGS.OctetString, Buffer.from([0x00, 0x1b, 0x21, 0x3a, 0x4f, 0xff]), '1.3.6.1.2.1.2.2.1.6.2')).toEqual({
      oid: '1.3.6.1.2.1.2.2.1.6.2',
      name: 'IF-MIB::ifPhysAddress.2',
      type: 'OctetString',
      value: '001b213a4fff',
      encoding: 'hex',
      display: '00:1b:21:3a:4f:ff',
    });
    expect(json(TYPE_TAGS.OctetString, Buffer.from('abc\0')).encoding).toBe('hex');
    expect(json(TYPE_TAGS.OctetString, Buffer.from([0xc3, 0x28])).encoding).toBe('hex');
  });

  it('gives numbers for the 32-bit types', () => {
    expect(json(TYPE_TAGS.Integer, -5)).toMatchObject({ type: 'Integer', value: -5 });
    expect(json(TYPE_TAGS.Counter32, 4294967295)).toMatchObject({ type: 'Counter32', value: 4294967295 });
    expect(json(TYPE_TAGS.Gauge32, 10)).toMatchObject({ type: 'Gauge32', value: 10 });
    expect(json(TYPE_TAGS.TimeTicks, 12345)).toMatchObject({ type: 'TimeTicks', value: 12345 });
  });

  it('gives Counter64 as a lossless decimal string', () => {
    expect(json(TYPE_TAGS.Counter64, Buffer.from('00ffffffffffffffff', 'hex'))).toMatchObject({
      type: 'Counter64',
      value: '18446744073709551615',
    });
    expect(json(TYPE_TAGS.Counter64, Buffer.from('0020000000000001', 'hex')).value).toBe('9007199254740993');
    expect(json(TYPE_TAGS.Counter64, Buffer.from([0])).value).toBe('0');
    expect(counter64ToDecimal(Buffer.alloc(0))).toBe('0');
  });

  it('round-trips Counter64 through decimalToCounter64', () => {
    for (const decimal of ['0', '127', '128', '9007199254740993', '18446744073709551615']) {
      expect(counter64ToDecimal(decimalToCounter64(decimal))).toBe(decimal);
    }
    expect(decimalToCounter64('128')).toEqual(Buffer.from([0x00, 0x80]));
  });

  it('gives ObjectIdentifier values dotted with their name', () => {
    expect(json(TYPE_TAGS.ObjectIdentifier, '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.6.3.1.1.4.1.0')).toEqual({
      oid: '1.3.6.1.6.3.1.1.4.1.0',
      name: 'SNMPv2-MIB::snmpTrapOID.0',
      type: 'ObjectIdentifier',
      value: '1.3.6.1.6.3.1.1.5.3',
      valueName: 'IF-MIB::linkDown',
    });
    expect(json(TYPE_TAGS.ObjectIdentifier, '2.5.4').valueName).toBeUndefined();
  });

  it('handles IpAddress, Opaque, Null, Boolean and the exceptions', () => {
    expect(json(TYPE_TAGS.IpAddress, '192.0.2.1')).toMatchObject({ type: 'IpAddress', value: '192.0.2.1' });
    expect(json(TYPE_TAGS.Opaque, Buffer.from([0x9f, 0x78, 0x04]))).toMatchObject({ type: 'Opaque', value: '9f7804', encoding: 'hex' });
    expect(json(TYPE_TAGS.Null, null)).toMatchObject({ type: 'Null', value: null });
    expect(json(TYPE_TAGS.Boolean, true)).toMatchObject({ type: 'Boolean', value: true });
    expect(json(TYPE_TAGS.NoSuchObject, null)).toMatchObject({ type: 'NoSuchObject', value: null });
    expect(json(TYPE_TAGS.NoSuchInstance, null)).toMatchObject({ type: 'NoSuchInstance', value: null });
    expect(json(TYPE_TAGS.EndOfMibView, null)).toMatchObject({ type: 'EndOfMibView', value: null });
  });

  it('omits the name when no MIB knows the OID', () => {
    expect(json(TYPE_TAGS.Integer, 1, '2.5.4.3')).toEqual({ oid: '2.5.4.3', type: 'Integer', value: 1 });
  });

  it('never throws on values that do not fit their type', () => {
    const garbage: unknown[] = [undefined, null, {}, [], 'text', 1.5, Number.NaN, 2n ** 70n, Buffer.from([1, 2]), Symbol('x')];
    for (const type of [...Object.values(TYPE_TAGS), 0, 3, 99, 255]) {
      for (const value of garbage) {
        const result = varbindToJson({ oid: '1.3.6.1', type, value }, mib);
        expect(VarbindJsonSchema.safeParse(result).success).toBe(true);
      }
    }
    expect(json(TYPE_TAGS.Integer, 'not a number').value).toBeNull();
    expect(json(TYPE_TAGS.Counter64, -1).value).toBeNull();
  });
});

describe('printableText', () => {
  /** The definition it implements without decoding: a strict WHATWG decoder (a leading BOM dropped), then no control character. */
  const strict = new TextDecoder('utf-8', { fatal: true });
  const reference = (bytes: Uint8Array): string | undefined => {
    let text: string;
    try {
      text = strict.decode(bytes);
    } catch {
      return undefined;
    }
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text) ? undefined : text;
  };
  const utf8Edges = [0x00, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbb, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];

  it('is exactly the strict decoder with control characters refused, on any bytes', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.array(fc.constantFrom(...utf8Edges), { maxLength: 12 }).map((b) => Uint8Array.from(b)),
      fc.string({ unit: 'binary', maxLength: 12 }).map((s) => new TextEncoder().encode(s)),
      fc.string({ unit: 'binary', maxLength: 12 }).map((s) => new TextEncoder().encode(`\ufeff${s}`)),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        expect(printableText(b)).toBe(reference(b));
        expect(printableText(Buffer.from(b))).toBe(reference(b));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('isWellFormedOid', () => {
  it('is exactly /^[0-2](\\.\\d+)+$/', () => {
    const regex = /^[0-2](\.\d+)+$/;
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '9', '.', 'a', ' ', '٣'), maxLength: 12 }),
      fc.array(fc.nat(300), { minLength: 1, maxLength: 6 }).map((arcs) => arcs.join('.')),
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(isWellFormedOid(s)).toBe(regex.test(s));
      }),
      { numRuns: 20000 },
    );
    for (const s of ['1.3', '0.0', '2.999.1', '1', '1.', '.1.3', '3.1', '12.3', '1..3', '0.NaN']) expect(isWellFormedOid(s)).toBe(regex.test(s));
  });
});
