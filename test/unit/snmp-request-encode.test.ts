import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PDU_TAGS } from '../../src/snmp/reply.ts';
import { encodeCommunityRequest, type CommunityRequestMessage } from '../../src/snmp/request-encode.ts';
import { decodeResponse } from '../../src/snmp/response-decode.ts';
import { TYPE_TAGS } from '../../src/snmp/varbind.ts';
import { libraryEncodeRequest } from '../helpers/net-snmp-codec.ts';
import { int32, oid, u32 } from '../helpers/snmp-arbitraries.ts';

const REQUEST_TYPES = [PDU_TAGS.getRequest, PDU_TAGS.getNextRequest, PDU_TAGS.getBulkRequest] as const;

/** Requests as the session makes them: OIDs only, the id below 10^8 (net-snmp's ids), the bulk counters small or any int32. */
const request: fc.Arbitrary<CommunityRequestMessage> = fc.record({
  version: fc.constantFrom(0, 1),
  community: fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 200 })),
  pdu: fc.record({
    type: fc.constantFrom(...REQUEST_TYPES),
    id: fc.oneof(fc.integer({ min: 0, max: 99_999_999 }), int32),
    varbinds: fc.array(oid.map((o) => ({ oid: o })), { minLength: 1, maxLength: 60 }),
    options: fc.record({ nonRepeaters: fc.oneof(fc.integer({ min: 0, max: 5 }), int32), maxRepetitions: fc.oneof(fc.integer({ min: 0, max: 100 }), int32) }),
  }),
});

function library(message: CommunityRequestMessage): Buffer | 'throws' {
  try {
    return libraryEncodeRequest(message);
  } catch {
    return 'throws';
  }
}

describe('encodeCommunityRequest (v1/v2c Get, GetNext and GetBulk requests)', () => {
  it('gives exactly the bytes net-snmp encodes for the same message', () => {
    fc.assert(
      fc.property(request, (message) => {
        const ours = encodeCommunityRequest(message);
        expect(ours).toBeDefined();
        expect(ours!.equals(libraryEncodeRequest(message))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('encodes the lengths of long messages (thousands of OIDs, a long community) in their long forms', () => {
    const varbinds = Array.from({ length: 4000 }, (_, i) => ({ oid: `1.3.6.1.4.1.8072.${i}.${0xffffffff - i}` }));
    for (const community of ['public', 'c'.repeat(200), 'ü'.repeat(150)]) {
      const message = { version: 1, community, pdu: { type: PDU_TAGS.getBulkRequest, id: 4242, varbinds, options: { nonRepeaters: 1, maxRepetitions: 25 } } };
      const ours = encodeCommunityRequest(message)!;
      expect(ours.length).toBeGreaterThan(0xffff);
      expect(ours.equals(libraryEncodeRequest(message))).toBe(true);
    }
  });

  it('leaves to the library what it does not encode, or what the library itself encodes wrong', () => {
    const base = { version: 1, community: 'public', pdu: { type: PDU_TAGS.getRequest, id: 7, varbinds: [{ oid: '1.3.6.1.2.1.1.5.0' }] } };
    const cases: CommunityRequestMessage[] = [
      { ...base, version: 3 },
      { ...base, pdu: { ...base.pdu, type: PDU_TAGS.setRequest } },
      { ...base, pdu: { ...base.pdu, varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', type: TYPE_TAGS.OctetString }] } },
      { ...base, pdu: { ...base.pdu, varbinds: [{ oid: '2.999.1' }] } }, // first two arcs beyond one byte: the library truncates
      { ...base, pdu: { ...base.pdu, varbinds: [{ oid: `1.3.6.${2 ** 32}` }] } }, // an arc beyond 32 bits: the library wraps it
      { ...base, pdu: { ...base.pdu, varbinds: [{ oid: '1' }] } },
      { ...base, pdu: { ...base.pdu, varbinds: [{ oid: '1.3.6.1.' }] } },
      { ...base, pdu: { ...base.pdu, varbinds: [{ oid: '.1.3.6.1' }] } },
      { ...base, pdu: { ...base.pdu, id: 2 ** 31 } },
      { ...base, pdu: { ...base.pdu, id: 1.5 } },
    ];
    for (const message of cases) expect(encodeCommunityRequest(message), JSON.stringify(message.pdu)).toBeUndefined();
  });

  it('never throws, whatever the message holds', () => {
    const anything = fc.record({
      version: fc.oneof(fc.constantFrom(0, 1), fc.integer(), fc.double()),
      community: fc.oneof(fc.string(), fc.constant(undefined as unknown as string)),
      pdu: fc.record({
        type: fc.oneof(fc.constantFrom(...REQUEST_TYPES), fc.integer({ min: 0, max: 255 })),
        id: fc.oneof(fc.integer(), fc.double(), u32),
        varbinds: fc.array(fc.record({ oid: fc.oneof(oid, fc.string({ maxLength: 40 })) }), { maxLength: 5 }),
        options: fc.record({ nonRepeaters: fc.oneof(int32, fc.double()), maxRepetitions: fc.oneof(fc.integer(), fc.double()) }, { requiredKeys: [] }),
      }),
    });
    fc.assert(
      fc.property(anything, (message) => {
        const ours = encodeCommunityRequest(message);
        if (ours === undefined) return;
        const theirs = library(message);
        expect(theirs !== 'throws' && ours.equals(theirs)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('makes messages an agent reads back field by field (decoded here as a Response would be, after the PDU tag)', () => {
    const message = { version: 1, community: 'public', pdu: { type: PDU_TAGS.getBulkRequest, id: 99_999_999, varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.10' }], options: { nonRepeaters: 0, maxRepetitions: 25 } } };
    const bytes = Buffer.from(encodeCommunityRequest(message)!);
    bytes[bytes.indexOf(PDU_TAGS.getBulkRequest)] = PDU_TAGS.response;
    expect(decodeResponse(bytes)).toMatchObject({ version: 1, community: 'public', requestId: 99_999_999, errorStatus: 0, errorIndex: 25, varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.10', type: TYPE_TAGS.Null }] });
  });
});
