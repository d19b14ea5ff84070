/**
 * What a valid numeric OID is: one that goes out on the wire, and comes back, as written. The first two
 * arcs share one BER sub-identifier (40·X + Y), so `1.40.1` would go out as `2.0.1`; the zod schemas and
 * the MIB resolver both refuse such OIDs with this one check.
 */

export const MAX_OID_ARCS = 128;
export const MAX_OID_ARC = 0xffff_ffff;
/**
 * X.690 allows any Y under 2 (80 + Y within 32 bits), but asn1-ber 1.2.2, under net-snmp, writes 40·X + Y
 * as a single byte and reads it back as X = ⌊b/40⌋: `2.47` comes back as `3.7`, `2.4294967215` as `0.NaN`.
 * Y ≤ 39 is what survives the round trip under every first arc.
 */
const MAX_SECOND_ARC = 39;

const DOTTED_DECIMAL = /^\d+(\.\d+)*$/;

/** Why `oid` (dotted decimal, no leading dot) is not a valid OID; undefined when it is. */
export function numericOidProblem(oid: string): string | undefined {
  if (!isDottedDecimal(oid)) return 'only digits separated by single dots are allowed';
  const arcs = oid.split('.');
  if (arcs.length < 2) return 'an OID has at least two arcs (to walk everything, start at 1.3)';
  if (arcs.length > MAX_OID_ARCS) return `it has ${arcs.length} arcs; at most ${MAX_OID_ARCS} are allowed`;
  const padded = arcs.find((arc) => arc.length > 1 && arc.startsWith('0'));
  if (padded !== undefined) return `arc ${padded} has a leading zero`;
  const huge = arcs.find((arc) => arc.length > 10 || Number(arc) > MAX_OID_ARC);
  if (huge !== undefined) return `arc ${huge} is larger than ${MAX_OID_ARC}`;
  const [first, second] = [Number(arcs[0]), Number(arcs[1])];
  if (first > 2) return `the first arc must be 0, 1 or 2, not ${first}`;
  if (second <= MAX_SECOND_ARC) return undefined;
  if (first < 2) return `under ${first} the second arc must be at most ${MAX_SECOND_ARC}, not ${second}`;
  return `under 2 the second arc must be at most ${MAX_SECOND_ARC} here, not ${second}: the SNMP library encodes the first two arcs in one byte`;
}

/** The shape of a numeric OID, valid or not. */
export function isDottedDecimal(text: string): boolean {
  return DOTTED_DECIMAL.test(text);
}

export interface NumericOidInput {
  /** Without the leading dot. */
  oid: string;
  /** Why it is not a valid OID, ready to show; absent when it is valid. */
  problem?: string;
}

/**
 * Input that starts with a digit (after an optional leading dot, as Net-SNMP tools print OIDs) is meant
 * as a numeric OID, since a MIB name starts with a letter; undefined for anything else.
 */
export function parseNumericOid(input: string): NumericOidInput | undefined {
  const oid = input.startsWith('.') ? input.slice(1) : input;
  if (!/^\d/.test(oid)) return undefined;
  const problem = numericOidProblem(oid);
  return problem === undefined ? { oid } : { oid, problem: `"${input}" is not a valid OID: ${problem}` };
}
