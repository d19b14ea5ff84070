import { describe, expect, it } from 'vitest';
import { dateAndTimeToIso, formatInteger, formatOctets, inetAddressText, ipv6Text, timeTicksDuration } from '../../src/snmp/display-hint.ts';
import { TYPE_TAGS, varbindToJson } from '../../src/snmp/varbind.ts';
import { testMib } from '../helpers/deps.ts';

const b = (...values: number[]) => Uint8Array.from(values);

describe('DISPLAY-HINT (RFC 2579 §3.1)', () => {
  it.each([
    ['1x:', b(0, 0x1b, 0xff), '00:1b:ff'],
    ['255a', Buffer.from('eth0'), 'eth0'],
    ['1d.1d.1d.1d', b(192, 0, 2, 1), '192.0.2.1'],
    ['1d.1d.1d.1d/2d', b(192, 0, 2, 0, 0, 24), '192.0.2.0/24'],
    ['2x:2x:2x:2x:2x:2x:2x:2x', b(0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), '2001:0db8:0000:0000:0000:0000:0000:0001'],
    ['0a[2x:2x:2x:2x:2x:2x:2x:2x]0a:2d', b(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 22), '[fe80:0000:0000:0000:0000:0000:0000:0001]:22'],
    ['*1x:/1x:', b(2, 0xaa, 0xbb, 0xcc), 'aa:bb/cc'],
    ['4x.1x:1x:1x:1x:1x:1x.2d', b(0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 0, 9), '00000001.01:02:03:04:05:06.9'],
  ])('%s', (hint, bytes, text) => {
    expect(formatOctets(hint, bytes)).toBe(text);
  });

  it('malformed hints give undefined, never an exception', () => {
    for (const hint of ['', 'x', '1q', '*', '1x:*']) expect(() => formatOctets(hint, b(1, 2))).not.toThrow();
    expect(formatOctets('1q', b(1))).toBeUndefined();
  });

  it('integer hints', () => {
    expect(formatInteger('d-2', 1234)).toBe('12.34');
    expect(formatInteger('d-2', -5)).toBe('-0.05');
    expect(formatInteger('x', 255)).toBe('ff');
    expect(formatInteger('d', 5)).toBeUndefined();
  });
});

describe('textual conventions and durations', () => {
  it('DateAndTime as ISO 8601, with or without its offset; garbage is not a date', () => {
    expect(dateAndTimeToIso(b(0x07, 0xea, 12, 2, 16, 56, 28, 3))).toBe('2026-12-02T16:56:28.3');
    expect(dateAndTimeToIso(b(0x07, 0xea, 12, 2, 16, 56, 28, 0, 0x2b, 1, 30))).toBe('2026-12-02T16:56:28.0+01:30');
    expect(dateAndTimeToIso(b(0x07, 0xea, 13, 2, 16, 56, 28, 0))).toBeUndefined();
    expect(dateAndTimeToIso(b(1, 2, 3))).toBeUndefined();
  });

  it('InetAddress by type or length; IPv6 as RFC 5952', () => {
    expect(inetAddressText(b(10, 0, 0, 1))).toBe('10.0.0.1');
    expect(ipv6Text(b(0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1))).toBe('2001:db8::1:0:0:1');
    expect(ipv6Text(new Uint8Array(16))).toBe('::');
    expect(inetAddressText(b(1, 2, 3), 1)).toBeUndefined();
  });

  it('TimeTicks as an ISO 8601 duration', () => {
    expect(timeTicksDuration(0)).toBe('PT0S');
    expect(timeTicksDuration(123_456)).toBe('PT20M34.56S');
    expect(timeTicksDuration(8_640_000 * 3 + 360_000 * 4 + 6_000 * 5 + 678)).toBe('P3DT4H5M6.78S');
    expect(timeTicksDuration(8_640_000)).toBe('P1D');
  });
});

describe('varbinds carry what the MIB says beside the raw value', () => {
  const mib = testMib();
  it('enum names, BITS names, DateAndTime, durations; the raw value stays', () => {
    expect(varbindToJson({ oid: '1.3.6.1.2.1.2.2.1.8.3', type: TYPE_TAGS.Integer, value: 2 }, mib)).toEqual({
      oid: '1.3.6.1.2.1.2.2.1.8.3',
      name: 'IF-MIB::ifOperStatus.3',
      type: 'Integer',
      value: 2,
      enum: 'down',
    });
    expect(varbindToJson({ oid: '1.3.6.1.2.1.2.2.1.8.3', type: TYPE_TAGS.Integer, value: 99 }, mib)).not.toHaveProperty('enum');
    const date = varbindToJson({ oid: '1.3.6.1.2.1.25.1.2.0', type: TYPE_TAGS.OctetString, value: Buffer.from('07ea0c0210381c002b0000', 'hex') }, mib);
    expect(date).toMatchObject({ value: '07ea0c0210381c002b0000', encoding: 'hex', display: '2026-12-02T16:56:28.0+00:00' });
    expect(varbindToJson({ oid: '1.3.6.1.2.1.1.3.0', type: TYPE_TAGS.TimeTicks, value: 123_456 }, mib)).toMatchObject({ value: 123_456, duration: 'PT20M34.56S' });
    // A value of the wrong type for its object renders nothing extra.
    expect(varbindToJson({ oid: '1.3.6.1.2.1.2.2.1.8.3', type: TYPE_TAGS.OctetString, value: Buffer.from('up') }, mib)).not.toHaveProperty('enum');
  });
});
