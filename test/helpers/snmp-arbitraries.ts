import fc from 'fast-check';
import { expect, it } from 'vitest';
import { TYPE_TAGS, type WireVarbind } from '../../src/snmp/varbind.ts';

/** fast-check arbitraries for SNMP messages as net-snmp's encoder takes them (the decoders' differential tests). */

export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
export const oid = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }), u32), { maxLength: 20 }))
  .map(([a, b, rest]) => [a, b, ...rest].join('.'));
export const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));

/** Varbinds as net-snmp's writeVarbinds takes them, one arbitrary per type. */
export const varbind: fc.Arbitrary<WireVarbind> = fc.oneof(
  fc.record({ oid, type: fc.constant(TYPE_TAGS.Boolean), value: fc.boolean() }),
  fc.record({ oid, type: fc.constant(TYPE_TAGS.Integer), value: int32 }),
  fc.record({ oid, type: fc.constant(TYPE_TAGS.OctetString), value: fc.oneof(bytes(300), fc.string({ maxLength: 40 })) }),
  fc.record({ oid, type: fc.constant(TYPE_TAGS.Null), value: fc.constant(null) }),
  fc.record({ oid, type: fc.constant(TYPE_TAGS.ObjectIdentifier), value: oid }),
  fc.record({ oid, type: fc.constant(TYPE_TAGS.IpAddress), value: fc.ipV4() }),
  fc.record({ oid, type: fc.constantFrom(TYPE_TAGS.Counter32, TYPE_TAGS.Gauge32, TYPE_TAGS.TimeTicks), value: u32 }),
  fc.record({ oid, type: fc.constant(TYPE_TAGS.Opaque), value: bytes(20) }),
  fc.record({ oid, type: fc.constant(TYPE_TAGS.Counter64), value: fc.oneof(bytes(8), bytes(8).map((b) => Buffer.concat([Buffer.from([0]), b]))) }),
  fc.record({ oid, type: fc.constantFrom(TYPE_TAGS.NoSuchObject, TYPE_TAGS.NoSuchInstance, TYPE_TAGS.EndOfMibView), value: fc.constant(null) }),
).map(({ oid, type, value }) => ({ oid, type, value })); // plain objects, as writeVarbinds calls hasOwnProperty

/** One to three byte edits: set a byte (most often), insert one, delete one, or cut the message short. */
export const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'set', 'set', 'set', 'insert', 'delete', 'truncate')), {
  minLength: 1,
  maxLength: 3,
});

/** `message` with `edits` applied, in a new buffer. */
export function mutate(message: Buffer, changes: [number, number, string][]): Buffer {
  let out = Buffer.from(message);
  for (const [at, byte, kind] of changes) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (kind === 'set') out[i] = byte;
    else if (kind === 'insert') out = Buffer.concat([out.subarray(0, i), Buffer.from([byte]), out.subarray(i)]);
    else if (kind === 'delete') out = Buffer.concat([out.subarray(0, i), out.subarray(i + 1)]);
    else out = out.subarray(0, i);
  }
  return Buffer.from(out);
}

/**
 * The two fuzz properties both decoders are held to against net-snmp: on mutated messages, `expectAgreement`
 * (our result equals the library's, or our typed error; true when ours accepted) is checked and more than 200
 * must be accepted; on arbitrary bytes, it only ever checks.
 */
export function itFuzzesAgainstTheLibrary<S>(messages: fc.Arbitrary<S>, encode: (spec: S) => Buffer, expectAgreement: (buffer: Buffer) => boolean): void {
  it('agrees with net-snmp on mutated messages whenever it accepts them, and fails with its own error otherwise', () => {
    let accepted = 0;
    fc.assert(
      fc.property(messages, edits, (spec, changes) => {
        if (expectAgreement(mutate(encode(spec), changes))) accepted++;
      }),
      { numRuns: 3000 },
    );
    // Many mutations (a value byte, a community byte) leave a well-formed message: those are compared.
    expect(accepted).toBeGreaterThan(200);
  });

  it('never throws anything but ResponseDecodeError on arbitrary bytes', () => {
    fc.assert(
      fc.property(bytes(200), (buffer) => {
        expectAgreement(buffer);
      }),
      { numRuns: 3000 },
    );
  });
}
