import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findImpossibleVarbind } from '../../src/snmp/reply.ts';
import { decodeResponse, ResponseDecodeError } from '../../src/snmp/response-decode.ts';
import { TYPE_TAGS } from '../../src/snmp/varbind.ts';
import { libraryDecodeResponse, libraryEncodeResponse, libraryPduType, type ResponseSpec } from '../helpers/net-snmp-codec.ts';
import { int32, itFuzzesAgainstTheLibrary, varbind } from '../helpers/snmp-arbitraries.ts';

const response: fc.Arbitrary<ResponseSpec> = fc.record({
  version: fc.constantFrom(0, 1),
  community: fc.string({ maxLength: 30 }),
  requestId: int32,
  errorStatus: fc.integer({ min: 0, max: 18 }),
  errorIndex: fc.integer({ min: 0, max: 200 }),
  varbinds: fc.array(varbind, { maxLength: 40 }),
});

/** Our decoder either fails with its own error or agrees exactly with net-snmp's; never anything else. */
function decodeOrTypedError(buffer: Buffer): ResponseSpec | ResponseDecodeError {
  try {
    return decodeResponse(buffer);
  } catch (err) {
    expect(err).toBeInstanceOf(ResponseDecodeError);
    return err as ResponseDecodeError;
  }
}

function library(buffer: Buffer): ResponseSpec | 'throws' {
  try {
    return libraryDecodeResponse(buffer);
  } catch {
    return 'throws';
  }
}

/** Where our result exists it must be net-snmp's, value for value (Buffers, numbers, strings, nulls). */
function expectAgreement(buffer: Buffer): boolean {
  const ours = decodeOrTypedError(buffer);
  if (ours instanceof ResponseDecodeError) return false;
  expect(library(buffer)).toStrictEqual(ours);
  // What it returns is always possible: the session skips findImpossibleVarbind for it.
  expect(findImpossibleVarbind(ours.varbinds)).toBeUndefined();
  expect(libraryPduType(buffer)).toBe(0xa2);
  return true;
}

describe('decodeResponse (v1/v2c Response, the request path)', () => {
  it('gives exactly what net-snmp decodes from what net-snmp encodes', () => {
    fc.assert(
      fc.property(response, (spec) => {
        const buffer = libraryEncodeResponse(spec);
        const ours = decodeResponse(buffer);
        expect(ours).toStrictEqual(libraryDecodeResponse(buffer));
        expect(ours.varbinds.map((vb) => vb.oid)).toEqual(spec.varbinds.map((vb) => vb.oid));
      }),
      { numRuns: 400 },
    );
  });

  itFuzzesAgainstTheLibrary(response, libraryEncodeResponse, expectAgreement);

  it('leaves to the library what it decodes oddly or leniently', () => {
    const spec: ResponseSpec = { version: 1, community: 'public', requestId: 7, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', type: TYPE_TAGS.OctetString, value: Buffer.from('x') }] };
    const valid = libraryEncodeResponse(spec);
    expect(decodeResponse(valid)).toStrictEqual(libraryDecodeResponse(valid));
    // A very long OID (1 000 bytes of content) decodes alike.
    const long = libraryEncodeResponse({ ...spec, varbinds: [{ oid: `1.3${'.4294967295'.repeat(200)}`, type: TYPE_TAGS.ObjectIdentifier, value: `1.3${'.1'.repeat(500)}` }] });
    expect(decodeResponse(long)).toStrictEqual(libraryDecodeResponse(long));
    const bad = (buffer: Buffer) => expect(() => decodeResponse(buffer)).toThrow(ResponseDecodeError);
    bad(Buffer.concat([valid, Buffer.from([0])])); // trailing bytes
    bad(valid.subarray(0, valid.length - 1)); // truncated
    bad(Buffer.from(valid).fill(0xa8, 13, 14)); // a Report PDU (the tag follows the version and "public")
    // BIT STRING and an unknown type: net-snmp has its own ideas; the library decides.
    const typed = (type: number) => Buffer.from(valid).fill(type, valid.length - 3, valid.length - 2);
    bad(typed(TYPE_TAGS.BitString));
    bad(typed(0x47));
    // An IpAddress of 5 bytes, a v3 version, an empty OID.
    const five = libraryEncodeResponse({ ...spec, varbinds: [{ oid: '1.3.6.1', type: TYPE_TAGS.OctetString, value: Buffer.alloc(5) }] });
    bad(five.fill(0x40, five.length - 7, five.length - 6));
    bad(Buffer.from(valid).fill(3, 4, 5)); // msgVersion 3
    // What the library decodes into impossible values: an OID value "3.7" (first subidentifier 127), a 72-bit Counter64.
    const oidValue = libraryEncodeResponse({ ...spec, varbinds: [{ oid: '1.3.6.1', type: TYPE_TAGS.ObjectIdentifier, value: '2.47.1' }] });
    expect(libraryDecodeResponse(oidValue).varbinds[0].value).toBe('3.7.1');
    bad(oidValue);
    bad(libraryEncodeResponse({ ...spec, varbinds: [{ oid: '1.3.6.1', type: TYPE_TAGS.Counter64, value: Buffer.alloc(9, 1) }] }));
    expect(decodeResponse(libraryEncodeResponse({ ...spec, varbinds: [{ oid: '1.3.6.1', type: TYPE_TAGS.Counter64, value: Buffer.from('00ffffffffffffffff', 'hex') }] })).varbinds[0].value).toEqual(Buffer.from('00ffffffffffffffff', 'hex'));
    expect(libraryPduType(valid)).toBe(0xa2);
  });
});
