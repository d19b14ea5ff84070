import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MibResolver } from '../../src/snmp/mib.ts';
import { PDU_TAGS } from '../../src/snmp/reply.ts';
import { decodeTrap, ResponseDecodeError } from '../../src/snmp/response-decode.ts';
import { notificationToEvent, SNMP_TRAP_OID_0, SYS_UP_TIME_0, trapNotification, type DecodeContext, type LibraryNotification } from '../../src/snmp/trap-decode.ts';
import { TYPE_TAGS } from '../../src/snmp/varbind.ts';
import { libraryEncodeTrap, libraryReceive, MINIMAL_V1_TRAP, type V1TrapSpec, type V2TrapSpec } from '../helpers/net-snmp-codec.ts';
import { int32, itFuzzesAgainstTheLibrary, oid, u32, varbind } from '../helpers/snmp-arbitraries.ts';

const community = fc.oneof(fc.constant(''), fc.constant('public'), fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 10 }));

const v1Trap: fc.Arbitrary<V1TrapSpec> = fc.record({
  version: fc.constantFrom(0, 0, 1),
  community,
  enterprise: oid,
  agentAddr: fc.ipV4(),
  generic: fc.oneof(fc.integer({ min: 0, max: 6 }), int32),
  specific: int32,
  upTime: u32,
  varbinds: fc.array(varbind, { maxLength: 30 }),
});

/** Mostly well-formed notifications (sysUpTime.0 and snmpTrapOID.0 first), some without that header. */
const v2Trap: fc.Arbitrary<V2TrapSpec> = fc.record({
  version: fc.constantFrom(1, 1, 0),
  community,
  requestId: int32,
  header: fc.option(fc.tuple(u32, oid), { freq: 4, nil: undefined }),
  varbinds: fc.array(varbind, { maxLength: 30 }),
}).map(({ header, varbinds, ...rest }) => ({
  ...rest,
  varbinds: header
    ? [{ oid: SYS_UP_TIME_0, type: TYPE_TAGS.TimeTicks, value: header[0] }, { oid: SNMP_TRAP_OID_0, type: TYPE_TAGS.ObjectIdentifier, value: header[1] }, ...varbinds]
    : varbinds,
}));

const trap = fc.oneof(v1Trap, v2Trap);

let context: DecodeContext;
beforeAll(() => {
  context = { mib: MibResolver.create({ mibDirs: [] }), source: { address: '192.0.2.1', port: 50000 }, receivedAt: new Date('2026-01-02T03:04:05.678Z'), includeCommunity: true };
});

/** What the trap receiver hands onResult for these bytes through our decoder, or our typed error. */
function ours(buffer: Buffer): LibraryNotification | ResponseDecodeError {
  try {
    return trapNotification(decodeTrap(buffer));
  } catch (err) {
    expect(err).toBeInstanceOf(ResponseDecodeError);
    return err as ResponseDecodeError;
  }
}

/**
 * The library's pdu without what the receiver never reads: `scoped` (false for every community message) and an
 * SNMPv2-Trap's request-id.
 */
function libraryNotification(buffer: Buffer): LibraryNotification | 'refused' {
  const received = libraryReceive(buffer);
  if ('error' in received) return 'refused';
  const { scoped, id, ...rest } = received.pdu;
  expect(scoped).toBe(false);
  if (rest.type === PDU_TAGS.trapV2) expect(typeof id).toBe('number');
  return rest as unknown as LibraryNotification;
}

/** Where ours accepts, the library gives the same notification (deep, strict) and so the same event. */
function expectAgreement(buffer: Buffer): boolean {
  const notification = ours(buffer);
  if (notification instanceof ResponseDecodeError) return false;
  const library = libraryNotification(buffer);
  expect({ ...notification }).toStrictEqual(library);
  expect(notificationToEvent(notification, context)).toStrictEqual(notificationToEvent(library as LibraryNotification, context));
  return true;
}

describe('decodeTrap (v1 Trap-PDU and SNMPv2-Trap-PDU, the trap receiver)', () => {
  it('gives exactly the notification net-snmp\'s Receiver gives for what net-snmp encodes', () => {
    fc.assert(
      fc.property(trap, (spec) => {
        const buffer = libraryEncodeTrap(spec);
        expect(expectAgreement(buffer)).toBe(true);
        const decoded = decodeTrap(buffer);
        expect(decoded.version).toBe(spec.version);
        expect(decoded.community).toBe(spec.community);
        expect(decoded.pdu.varbinds.map((vb) => vb.oid)).toEqual(spec.varbinds.map((vb) => vb.oid));
      }),
      { numRuns: 600 },
    );
  });

  itFuzzesAgainstTheLibrary(trap, libraryEncodeTrap, expectAgreement);

  it('decodes the smallest v1 trap; leaves informs, Responses, v3 and what is not strictly well formed to the library', () => {
    expect(decodeTrap(MINIMAL_V1_TRAP)).toStrictEqual({
      version: 0,
      community: '',
      pdu: { type: PDU_TAGS.trapV1, enterprise: '1.3', agentAddr: '127.0.0.1', generic: 0, specific: 0, upTime: 0, varbinds: [] },
    });
    expect(expectAgreement(MINIMAL_V1_TRAP)).toBe(true);
    const v2: V2TrapSpec = { version: 1, community: 'public', requestId: 9, varbinds: [{ oid: SYS_UP_TIME_0, type: TYPE_TAGS.TimeTicks, value: 5 }] };
    const valid = libraryEncodeTrap(v2);
    expect(trapNotification(decodeTrap(valid))).toStrictEqual({ type: PDU_TAGS.trapV2, varbinds: v2.varbinds, community: 'public' });
    const bad = (buffer: Buffer) => expect(() => decodeTrap(buffer)).toThrow(ResponseDecodeError);
    const pduTag = 13; // after the version and "public"
    for (const tag of [PDU_TAGS.informRequest, PDU_TAGS.response, PDU_TAGS.getRequest, PDU_TAGS.report]) bad(Buffer.from(valid).fill(tag, pduTag, pduTag + 1));
    bad(Buffer.from(valid).fill(3, 4, 5)); // msgVersion 3
    bad(Buffer.concat([valid, Buffer.from([0])])); // trailing bytes
    bad(valid.subarray(0, valid.length - 1)); // truncated
    // v1: an agent-addr of 5 bytes, and a time-stamp sent as an INTEGER (net-snmp reads either without looking at the tag).
    const v1 = libraryEncodeTrap({ version: 0, community: 'public', enterprise: '1.3.6.1.4.1.8072', agentAddr: '192.0.2.1', generic: 6, specific: 1, upTime: 42, varbinds: [] });
    expect(trapNotification(decodeTrap(v1))).toMatchObject({ enterprise: '1.3.6.1.4.1.8072', agentAddr: '192.0.2.1', generic: 6, specific: 1, upTime: 42 });
    const stamp = v1.indexOf(Buffer.from([TYPE_TAGS.TimeTicks, 1, 42]));
    bad(Buffer.from(v1).fill(TYPE_TAGS.Integer, stamp, stamp + 1));
    expect(libraryNotification(Buffer.from(v1).fill(TYPE_TAGS.Integer, stamp, stamp + 1))).toMatchObject({ upTime: 42 });
    // An enterprise whose first subidentifier is above 119: net-snmp makes "3.7.1" of it; the library decides.
    const oddEnterprise = libraryEncodeTrap({ version: 0, community: 'public', enterprise: '2.47.1', agentAddr: '192.0.2.1', generic: 0, specific: 0, upTime: 1, varbinds: [] });
    bad(oddEnterprise);
  });
});
