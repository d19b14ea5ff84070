import { beforeAll, describe, expect, it } from 'vitest';
import { MibResolver } from '../../src/snmp/mib.ts';
import { notificationToEvent, v1TrapOid, type DecodeContext } from '../../src/snmp/trap-decode.ts';
import { unmapIPv4 } from '../../src/snmp/trap-receiver.ts';

let context: DecodeContext;

beforeAll(() => {
  context = {
    mib: MibResolver.create({ mibDirs: [] }),
    source: { address: '192.0.2.1', port: 50000 },
    receivedAt: new Date('2026-01-02T03:04:05.678Z'),
    includeCommunity: false,
  };
});

const TIME_TICKS = 67;
const OID = 6;
const INTEGER = 2;

describe('v1 trapOid (RFC 3584 §3.1)', () => {
  it('maps the generic traps 0–5 to snmpTraps.{generic+1}', () => {
    expect([0, 1, 2, 3, 4, 5].map((generic) => v1TrapOid('1.3.6.1.4.1.9', generic, 0))).toEqual([
      '1.3.6.1.6.3.1.1.5.1',
      '1.3.6.1.6.3.1.1.5.2',
      '1.3.6.1.6.3.1.1.5.3',
      '1.3.6.1.6.3.1.1.5.4',
      '1.3.6.1.6.3.1.1.5.5',
      '1.3.6.1.6.3.1.1.5.6',
    ]);
  });

  it('maps enterpriseSpecific (6) to enterprise.0.specific', () => {
    expect(v1TrapOid('1.3.6.1.4.1.8072.2.3', 6, 17)).toBe('1.3.6.1.4.1.8072.2.3.0.17');
    expect(v1TrapOid('.1.3.6.1.4.1.9', 6, 0)).toBe('1.3.6.1.4.1.9.0.0');
  });

  it('refuses generic-trap values outside 0–6', () => {
    expect(v1TrapOid('1.3.6.1.4.1.9', 7, 0)).toBeUndefined();
    expect(v1TrapOid('1.3.6.1.4.1.9', -1, 0)).toBeUndefined();
  });
});

describe('notificationToEvent', () => {
  it('v2c trap: trapOid and uptime from the varbinds, which are kept, with names', () => {
    const result = notificationToEvent(
      {
        type: 167,
        community: 'public',
        varbinds: [
          { oid: '1.3.6.1.2.1.1.3.0', type: TIME_TICKS, value: 12345 },
          { oid: '1.3.6.1.6.3.1.1.4.1.0', type: OID, value: '1.3.6.1.6.3.1.1.5.3' },
          { oid: '1.3.6.1.2.1.2.2.1.1.2', type: INTEGER, value: 2 },
        ],
      },
      context,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({
      receivedAt: '2026-01-02T03:04:05.678Z',
      source: { address: '192.0.2.1', port: 50000 },
      version: '2c',
      pduType: 'trapV2',
      trapOid: '1.3.6.1.6.3.1.1.5.3',
      trapName: 'IF-MIB::linkDown',
      uptime: 12345,
    });
    expect(result.event).not.toHaveProperty('community');
    expect(result.event.varbinds).toHaveLength(3);
    expect(result.event.varbinds[2]).toEqual({ oid: '1.3.6.1.2.1.2.2.1.1.2', name: 'IF-MIB::ifIndex.2', type: 'Integer', value: 2 });
  });

  it('includes the community only when configured', () => {
    const pdu = {
      type: 166,
      community: 'public',
      varbinds: [
        { oid: '1.3.6.1.2.1.1.3.0', type: TIME_TICKS, value: 1 },
        { oid: '1.3.6.1.6.3.1.1.4.1.0', type: OID, value: '1.3.6.1.4.1.99999.1' },
      ],
    };
    const result = notificationToEvent(pdu, { ...context, includeCommunity: true });
    expect(result.ok && result.event).toMatchObject({ community: 'public', pduType: 'inform', version: '2c' });
    expect(result.ok && result.event.trapName).toBe('SNMPv2-SMI::enterprises.99999.1');
  });

  it('v3: the user name, never a community', () => {
    const result = notificationToEvent(
      {
        type: 167,
        user: 'trapuser',
        varbinds: [
          { oid: '1.3.6.1.2.1.1.3.0', type: TIME_TICKS, value: 1 },
          { oid: '1.3.6.1.6.3.1.1.4.1.0', type: OID, value: '1.3.6.1.6.3.1.1.5.1' },
        ],
      },
      { ...context, includeCommunity: true },
    );
    expect(result.ok && result.event).toMatchObject({ version: '3', user: 'trapuser', trapName: 'SNMPv2-MIB::coldStart' });
    expect(result.ok && result.event).not.toHaveProperty('community');
  });

  it('fields in the order the JSON (the SSE data) has always shown them', () => {
    const v1 = notificationToEvent(
      { type: 164, community: 'public', enterprise: '1.3.6.1.4.1.9', agentAddr: '192.0.2.50', generic: 6, specific: 1, upTime: 7, varbinds: [] },
      { ...context, includeCommunity: true },
    );
    expect(v1.ok && Object.keys(v1.event)).toEqual(['receivedAt', 'source', 'origin', 'version', 'pduType', 'community', 'trapOid', 'trapName', 'uptime', 'varbinds', 'v1']);
    const v3 = notificationToEvent(
      {
        type: 167,
        user: 'trapuser',
        varbinds: [
          { oid: '1.3.6.1.2.1.1.3.0', type: TIME_TICKS, value: 1 },
          { oid: '1.3.6.1.6.3.1.1.4.1.0', type: OID, value: '1.3.6.1.4.1.99999.77.1' },
        ],
      },
      context,
    );
    expect(v3.ok && JSON.stringify(v3.event)).toBe(
      '{"receivedAt":"2026-01-02T03:04:05.678Z","source":{"address":"192.0.2.1","port":50000},"version":"3","pduType":"trapV2","user":"trapuser",' +
        '"trapOid":"1.3.6.1.4.1.99999.77.1","trapName":"SNMPv2-SMI::enterprises.99999.77.1","uptime":1,"varbinds":[' +
        '{"oid":"1.3.6.1.2.1.1.3.0","name":"SNMPv2-MIB::sysUpTime.0","type":"TimeTicks","value":1,"duration":"PT0.01S"},' +
        '{"oid":"1.3.6.1.6.3.1.1.4.1.0","name":"SNMPv2-MIB::snmpTrapOID.0","type":"ObjectIdentifier","value":"1.3.6.1.4.1.99999.77.1","valueName":"SNMPv2-SMI::enterprises.99999.77.1"}]}',
    );
  });

  it('v1 trap: trapOid derived, header fields kept under v1', () => {
    const result = notificationToEvent(
      {
        type: 164,
        enterprise: '1.3.6.1.4.1.8072.2.3.1',
        agentAddr: '192.0.2.50',
        generic: 6,
        specific: 17,
        upTime: 4242,
        varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', type: 4, value: Buffer.from('router1') }],
      },
      context,
    );
    expect(result.ok && result.event).toMatchObject({
      version: '1',
      pduType: 'trap',
      trapOid: '1.3.6.1.4.1.8072.2.3.1.0.17',
      uptime: 4242,
      v1: { enterprise: '1.3.6.1.4.1.8072.2.3.1', agentAddress: '192.0.2.50', genericTrap: 6, specificTrap: 17 },
      varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', name: 'SNMPv2-MIB::sysName.0', type: 'OctetString', value: 'router1' }],
    });
  });

  it('refuses notifications without snmpTrapOID.0 or sysUpTime.0, and other PDU types', () => {
    expect(notificationToEvent({ type: 167, varbinds: [{ oid: '1.3.6.1.2.1.1.3.0', type: TIME_TICKS, value: 1 }] }, context).ok).toBe(false);
    expect(notificationToEvent({ type: 167, varbinds: [{ oid: '1.3.6.1.6.3.1.1.4.1.0', type: OID, value: '1.3.6.1' }] }, context).ok).toBe(false);
    expect(notificationToEvent({ type: 167 }, context).ok).toBe(false);
    expect(notificationToEvent({ type: 160, varbinds: [] }, context).ok).toBe(false);
    expect(notificationToEvent({ type: 164, enterprise: '1.3.6.1.4.1.9', generic: 9, specific: 0, varbinds: [] }, context).ok).toBe(false);
  });
});

describe('source addresses', () => {
  it('shows IPv4 senders on the dual-stack socket as plain IPv4', () => {
    expect(unmapIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(unmapIPv4('::1')).toBe('::1');
    expect(unmapIPv4('2001:db8::ffff:1.2.3.4')).toBe('2001:db8::ffff:1.2.3.4');
  });
});

describe('origin (snmpTrapAddress.0, v1 agent-addr)', () => {
  const IP_ADDRESS = 64;
  const v2 = (extra: { oid: string; type: number; value: unknown }[]) => ({
    type: 0xa7,
    varbinds: [
      { oid: '1.3.6.1.2.1.1.3.0', type: TIME_TICKS, value: 1 },
      { oid: '1.3.6.1.6.3.1.1.4.1.0', type: OID, value: '1.3.6.1.6.3.1.1.5.3' },
      ...extra,
    ],
  });
  const v1 = (agentAddr: string) => ({ type: 0xa4, enterprise: '1.3.6.1.4.1.9', agentAddr, generic: 2, specific: 0, upTime: 1, varbinds: [] });
  const originOf = (pdu: Parameters<typeof notificationToEvent>[0]) => {
    const decoded = notificationToEvent(pdu, context);
    return decoded.ok ? decoded.event.origin : 'not decoded';
  };

  it('snmpTrapAddress.0 (an IpAddress) is the origin; a v1 agent-addr other than the sender (and than 0.0.0.0) too', () => {
    expect(originOf(v2([{ oid: '1.3.6.1.6.3.18.1.3.0', type: IP_ADDRESS, value: '192.0.2.7' }]))).toEqual({ address: '192.0.2.7' });
    expect(originOf(v2([]))).toBeUndefined();
    expect(originOf(v2([{ oid: '1.3.6.1.6.3.18.1.3.0', type: INTEGER, value: 7 }]))).toBeUndefined();
    expect(originOf(v1('198.51.100.9'))).toEqual({ address: '198.51.100.9' });
    expect(originOf(v1('192.0.2.1'))).toBeUndefined(); // the sender itself
    expect(originOf(v1('0.0.0.0'))).toBeUndefined();
  });
});
