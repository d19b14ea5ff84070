import { describe, expect, it } from 'vitest';
import { trapFilterFields, type TrapEvent, type TrapFilterFields } from '../../src/events/trap-event.ts';
import { oidHasPrefix, trapFilter } from '../../src/events/trap-filter.ts';
import { normalizeAddress } from '../../src/net/address.ts';
import { parseCidr, tryParseCidr } from '../../src/net/cidr.ts';

function matches(range: string, address: string): boolean {
  const sender = normalizeAddress(address);
  return sender !== undefined && parseCidr(range).matches(sender);
}

/** What the bus keeps of such an event, which is what filters see. */
function event(fields: Partial<TrapEvent>): TrapFilterFields {
  return trapFilterFields({
    id: 1,
    receivedAt: '2026-01-01T00:00:00.000Z',
    source: { address: '192.0.2.10', port: 50000 },
    version: '2c',
    pduType: 'trapV2',
    trapOid: '1.3.6.1.6.3.1.1.5.3',
    uptime: 0,
    varbinds: [],
    ...fields,
  });
}

describe('source filter: IP or CIDR', () => {
  it('parses addresses and ranges, v4 and v6, and refuses the rest', () => {
    expect(tryParseCidr('192.0.2.7')).toMatchObject({ text: '192.0.2.7', family: 4 });
    expect(tryParseCidr('192.0.2.0/24')).toMatchObject({ text: '192.0.2.0/24', family: 4 });
    expect(tryParseCidr('2001:db8::/32')).toMatchObject({ text: '2001:db8::/32', family: 6 });
    expect(tryParseCidr('[::1]')).toMatchObject({ text: '[::1]', family: 6 });
    for (const bad of ['', 'example.com', '192.0.2.0/33', '2001:db8::/129', '192.0.2.0/', '300.1.1.1', '10.0.0.0/8/8', '::1/-1']) {
      expect(tryParseCidr(bad), bad).toBeUndefined();
    }
  });

  it('matches IPv4 CIDR ranges', () => {
    expect(matches('192.0.2.0/24', '192.0.2.200')).toBe(true);
    expect(matches('192.0.2.0/24', '192.0.3.1')).toBe(false);
    expect(matches('10.1.2.3/8', '10.200.0.1')).toBe(true); // host bits are ignored
    expect(matches('192.0.2.7', '192.0.2.7')).toBe(true);
    expect(matches('192.0.2.7', '192.0.2.8')).toBe(false);
    expect(matches('0.0.0.0/0', '203.0.113.9')).toBe(true);
  });

  it('matches IPv6 CIDR ranges, and never across families except IPv4-mapped forms', () => {
    expect(matches('2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
    expect(matches('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(matches('::1', '::1')).toBe(true);
    expect(matches('::1', '127.0.0.1')).toBe(false);
    expect(matches('127.0.0.0/8', '::1')).toBe(false);
    expect(matches('192.0.2.0/24', '::ffff:192.0.2.1')).toBe(true);
    expect(matches('::ffff:192.0.2.0/120', '192.0.2.1')).toBe(true);
    expect(matches('192.0.2.0/24', 'not-an-address')).toBe(false);
  });
});

describe('trapOid filter: prefixes on arc boundaries', () => {
  it('matches the OID itself and OIDs under it, never a longer arc', () => {
    expect(oidHasPrefix('1.3.6.1.6.3.1.1.5.3', '1.3.6.1.6.3.1.1.5')).toBe(true);
    expect(oidHasPrefix('1.3.6.1.6.3.1.1.5.3', '1.3.6.1.6.3.1.1.5.3')).toBe(true);
    expect(oidHasPrefix('1.3.6.1.6.3.1.1.5.30', '1.3.6.1.6.3.1.1.5.3')).toBe(false);
    expect(oidHasPrefix('1.3.6.1.20', '1.3.6.1.2')).toBe(false);
    expect(oidHasPrefix('1.3.6.1', '1.3.6.1.2')).toBe(false);
  });
});

describe('combined filters', () => {
  it('is undefined without conditions, and requires every condition given', () => {
    expect(trapFilter({})).toBeUndefined();
    const filter = trapFilter({ source: parseCidr('192.0.2.0/24'), trapOid: '.1.3.6.1.6.3.1.1.5', version: '2c' })!;
    expect(filter(event({}))).toBe(true);
    expect(filter(event({ version: '1' }))).toBe(false);
    expect(filter(event({ source: { address: '198.51.100.1', port: 1 } }))).toBe(false);
    expect(filter(event({ trapOid: '1.3.6.1.4.1.8072.2.3.0.1' }))).toBe(false);
  });
});
