import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BOOTREQUEST,
  BROADCAST_FLAG,
  DhcpDecodeError,
  OPTION_TABLE,
  decodeClasslessRoutes,
  decodeDomainSearch,
  decodeMessage,
  decodeOptions,
  encodeMessage,
  encodeRelayAgentInformation,
  macToBytes,
  messageTypeOf,
  serverIdOf,
  type OptionField,
} from '../../src/dhcp/packet.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'dhcp');
const fixture = (name: string) => Buffer.from(readFileSync(join(FIXTURES, name), 'utf8').trim(), 'hex');

function decodeAll(packet: Buffer) {
  const message = decodeMessage(packet);
  return { message, ...decodeOptions(message.options) };
}

describe('dnsmasq captures', () => {
  it('decodes a broadcast OFFER with the lab options', () => {
    const { message, options, rawOptions } = decodeAll(fixture('dnsmasq-offer-broadcast.hex'));
    expect(message.op).toBe(2);
    expect(message.chaddr).toBe('02:00:00:00:00:01');
    expect(message.flags & BROADCAST_FLAG).toBe(BROADCAST_FLAG);
    expect(message.yiaddr).toMatch(/^10\.77\.1\.(1[0-4]\d|150)$/);
    expect(options).toMatchObject({
      messageType: 'OFFER',
      serverId: '10.77.1.1',
      leaseTime: 600,
      renewalTime: 300,
      rebindingTime: 525,
      subnetMask: '255.255.255.0',
      broadcastAddress: '10.77.1.255',
      router: ['10.77.1.1'],
      dnsServers: ['10.77.1.53', '10.77.1.54'],
      domainName: 'lab.example',
      domainSearch: ['lab.example', 'corp.lab.example'],
      ntpServers: ['10.77.1.123'],
      classlessStaticRoutes: [{ destination: '10.99.0.0/16', router: '10.77.1.254' }],
      tftpServerAddresses: ['10.77.1.69'],
    });
    expect(rawOptions.map((o) => o.code)).toEqual(expect.arrayContaining([1, 3, 6, 15, 28, 42, 51, 53, 54, 58, 59, 119, 121, 150]));
    expect(rawOptions.find((o) => o.code === 119)?.hex).toContain('c000'); // dnsmasq compresses the second name
    expect(rawOptions.every((o) => o.error === undefined)).toBe(true);
  });

  it('decodes an ACK', () => {
    const { message, options } = decodeAll(fixture('dnsmasq-ack-broadcast.hex'));
    expect(messageTypeOf(message)).toBe(5);
    expect(serverIdOf(message)).toBe('10.77.1.1');
    expect(options.messageType).toBe('ACK');
  });

  it('decodes a relayed OFFER with option 82 echoed back', () => {
    const { message, options } = decodeAll(fixture('dnsmasq-offer-relay-option82.hex'));
    expect(message.giaddr).toBe('10.77.4.1');
    expect(message.yiaddr).toMatch(/^10\.77\.4\./);
    expect(options.leaseTime).toBe(1200);
    expect(options.relayAgentInformation).toEqual({
      circuitId: 'port-7',
      remoteId: 'sw1',
      subOptions: [
        { code: 1, hex: Buffer.from('port-7').toString('hex') },
        { code: 2, hex: Buffer.from('sw1').toString('hex') },
      ],
    });
  });
});

describe('encode/decode', () => {
  const chaddr = macToBytes('02:11:22:33:44:55');

  it('round-trips a DISCOVER and pads to the BOOTP minimum', () => {
    const options: OptionField[] = [
      { code: 53, data: Buffer.from([1]) },
      { code: 61, data: Buffer.concat([Buffer.from([1]), chaddr]) },
      { code: 55, data: Buffer.from([1, 3, 6]) },
    ];
    const packet = encodeMessage({ op: BOOTREQUEST, xid: 0xdeadbeef, chaddr, flags: BROADCAST_FLAG, giaddr: '10.0.0.1', hops: 1, options });
    expect(packet.length).toBe(300);
    const { message, options: decoded } = decodeAll(packet);
    expect(message).toMatchObject({ op: 1, xid: 0xdeadbeef, hops: 1, giaddr: '10.0.0.1', chaddr: '02:11:22:33:44:55', flags: 0x8000 });
    expect(decoded).toEqual({
      messageType: 'DISCOVER',
      clientId: { type: 1, value: '02:11:22:33:44:55' },
      parameterRequestList: [1, 3, 6],
    });
  });

  it('splits long options and concatenates them again (RFC 3396)', () => {
    const long = Buffer.alloc(600, 0x41);
    const packet = encodeMessage({ op: 1, xid: 1, chaddr, options: [{ code: 224, data: long }] });
    const { rawOptions } = decodeAll(packet);
    expect(rawOptions).toEqual([{ code: 224, name: 'option224', hex: long.toString('hex') }]);
  });

  it('reads options overloaded into file and sname (option 52)', () => {
    const packet = encodeMessage({ op: 2, xid: 7, chaddr, options: [{ code: 53, data: Buffer.from([2]) }, { code: 52, data: Buffer.from([3]) }] });
    // file holds the router, sname the domain name; both end with END.
    Buffer.from([3, 4, 10, 0, 0, 1, 255]).copy(packet, 108);
    Buffer.from([15, 3, 0x61, 0x62, 0x63, 255]).copy(packet, 44);
    const { message, options } = decodeAll(packet);
    expect(options).toMatchObject({ messageType: 'OFFER', optionOverload: 3, router: ['10.0.0.1'], domainName: 'abc' });
    expect(message.file).toBe('');
    expect(message.sname).toBe('');
  });

  it('keeps a named option that does not decode in rawOptions with an error', () => {
    const packet = encodeMessage({ op: 2, xid: 7, chaddr, options: [{ code: 1, data: Buffer.from([255, 255]) }] });
    const { options, rawOptions } = decodeAll(packet);
    expect(options.subnetMask).toBeUndefined();
    expect(rawOptions[0]).toMatchObject({ code: 1, name: 'subnetMask', hex: 'ffff', error: expect.stringContaining('4 bytes') });
  });

  it('decodes 61, 77, 81 and 82', () => {
    const fields: OptionField[] = [
      { code: 61, data: Buffer.from('00666f6f', 'hex') },
      { code: 77, data: Buffer.from('03616263026465', 'hex') },
      { code: 81, data: Buffer.concat([Buffer.from([0x05, 0, 0]), Buffer.from('04686f737403636f6d00', 'hex')]) },
      { code: 82, data: encodeRelayAgentInformation(Buffer.from([0, 1, 2]), Buffer.from('r1')) },
    ];
    const { options } = decodeOptions(fields);
    expect(options.clientId).toEqual({ type: 0, value: '666f6f' });
    expect(options.userClass).toEqual(['abc', 'de']);
    expect(options.clientFqdn).toEqual({ flags: 5, rcode1: 0, rcode2: 0, domainName: 'host.com' });
    expect(options.relayAgentInformation).toMatchObject({ circuitId: '000102', remoteId: 'r1' });
  });

  it('names every option the issue asks for', () => {
    const names = OPTION_TABLE as Record<number, { name: string }>;
    for (const code of [1, 3, 6, 15, 28, 42, 51, 58, 59, 61, 77, 81, 82, 119, 121, 150]) expect(names[code]).toBeDefined();
  });
});

describe('option 119 and 121', () => {
  it('follows compression pointers and rejects loops and forward pointers', () => {
    const list = Buffer.from('036c6162076578616d706c650004636f7270c000', 'hex');
    expect(decodeDomainSearch(list)).toEqual(['lab.example', 'corp.lab.example']);
    expect(() => decodeDomainSearch(Buffer.from('c000', 'hex'))).toThrow(DhcpDecodeError);
    expect(() => decodeDomainSearch(Buffer.from('0161c000', 'hex'))).toThrow(/loop/);
    expect(decodeDomainSearch(Buffer.from('016100' + '0162c000', 'hex'))).toEqual(['a', 'b.a']);
    expect(() => decodeDomainSearch(Buffer.from('0161c002c000', 'hex'))).toThrow(DhcpDecodeError);
    expect(() => decodeDomainSearch(Buffer.from('05616263', 'hex'))).toThrow(DhcpDecodeError);
  });

  it('decodes classless routes of every prefix width', () => {
    const routes = Buffer.from('00' + '0a000001' + '18' + 'c0a801' + '0a000002' + '20' + '08080808' + '0a000003', 'hex');
    expect(decodeClasslessRoutes(routes)).toEqual([
      { destination: '0.0.0.0/0', router: '10.0.0.1' },
      { destination: '192.168.1.0/24', router: '10.0.0.2' },
      { destination: '8.8.8.8/32', router: '10.0.0.3' },
    ]);
    expect(() => decodeClasslessRoutes(Buffer.from('21', 'hex'))).toThrow(DhcpDecodeError);
    expect(() => decodeClasslessRoutes(Buffer.from('180a00', 'hex'))).toThrow(DhcpDecodeError);
  });
});

describe('malformed packets', () => {
  const good = fixture('dnsmasq-offer-broadcast.hex');

  it('rejects a truncated header', () => {
    expect(() => decodeMessage(good.subarray(0, 239))).toThrow(DhcpDecodeError);
  });

  it('rejects a missing magic cookie', () => {
    const bad = Buffer.from(good);
    bad.writeUInt32BE(0, 236);
    expect(() => decodeMessage(bad)).toThrow(/magic cookie/);
  });

  it('rejects an option that runs past the end', () => {
    const bad = Buffer.concat([good.subarray(0, 240), Buffer.from([53, 10, 2])]);
    expect(() => decodeMessage(bad)).toThrow(/claims 10 bytes/);
  });

  it('rejects a bad overload value and hlen over 16', () => {
    const chaddr = macToBytes('02:00:00:00:00:01');
    const overload = encodeMessage({ op: 2, xid: 1, chaddr, options: [{ code: 52, data: Buffer.from([9]) }] });
    expect(() => decodeMessage(overload)).toThrow(DhcpDecodeError);
    const hlen = Buffer.from(good);
    hlen[2] = 17;
    expect(() => decodeMessage(hlen)).toThrow(DhcpDecodeError);
  });

  it('tolerates a missing END option', () => {
    const noEnd = Buffer.concat([good.subarray(0, 240), Buffer.from([53, 1, 2])]);
    expect(decodeOptions(decodeMessage(noEnd).options).options.messageType).toBe('OFFER');
  });
});
