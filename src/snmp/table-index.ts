import { formatOctets, inetAddressText, ipv4Text } from './display-hint.ts';

/**
 * Decoding a table row's instance suffix into its INDEX objects' values (RFC 2578 §7.7). Pure: the MIB
 * lookups happen before (indexPartFor), the suffix comes from the agent and may be anything.
 */

/** How one INDEX object is encoded in the instance suffix. */
export type IndexEncoding =
  /** INTEGER, Integer32, Unsigned32, Gauge32, TimeTicks…: one sub-identifier. */
  | 'integer'
  /** IpAddress: four sub-identifiers. */
  | 'ipAddress'
  /** SMIv1 NetworkAddress: a 1 (internet) and four sub-identifiers. */
  | 'networkAddress'
  /** OCTET STRING of one fixed SIZE: that many sub-identifiers. */
  | 'fixedOctets'
  /** Any other OCTET STRING (BITS, Opaque alike): a length, then that many sub-identifiers; IMPLIED: the rest. */
  | 'octets'
  /** OBJECT IDENTIFIER: a length, then the arcs; IMPLIED: the rest. */
  | 'oid';

export interface IndexPart {
  /** The index object's name. */
  name: string;
  encoding: IndexEncoding;
  implied: boolean;
  /** fixedOctets: the SIZE. */
  size?: number;
  /** The object's DISPLAY-HINT (octet strings): MacAddress "1x:" shows as 00:1b:… */
  displayHint?: string;
  /** InetAddress: the position, in the same INDEX, of the InetAddressType that says how to read it. */
  inetTypePart?: number;
}

export type IndexValue = number | string;

/**
 * The values of the index objects, by name; undefined when the suffix does not fit the INDEX clause
 * (too short, too long, or a sub-identifier out of range for its type).
 */
export function decodeIndex(suffix: readonly number[], parts: readonly IndexPart[]): Record<string, IndexValue> | undefined {
  const values: Record<string, IndexValue> = {};
  const decoded: IndexValue[] = [];
  let pos = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    const rest = suffix.length - pos;
    let value: IndexValue;
    switch (part.encoding) {
      case 'integer':
        if (rest < 1) return undefined;
        value = suffix[pos++];
        break;
      case 'ipAddress':
      case 'networkAddress': {
        const skip = part.encoding === 'networkAddress' ? 1 : 0;
        if (rest < 4 + skip) return undefined;
        const bytes = octets(suffix, pos + skip, 4);
        if (!bytes) return undefined;
        value = ipv4Text(bytes);
        pos += 4 + skip;
        break;
      }
      case 'fixedOctets':
      case 'octets': {
        const length = part.implied ? rest : part.encoding === 'fixedOctets' ? (part.size ?? 0) : suffix[pos++];
        if (length === undefined || length > suffix.length - pos) return undefined;
        const bytes = octets(suffix, pos, length);
        if (!bytes) return undefined;
        pos += length;
        const type = part.inetTypePart === undefined ? undefined : decoded[part.inetTypePart];
        value = renderOctets(bytes, part, typeof type === 'number' ? type : undefined);
        break;
      }
      case 'oid': {
        const length = part.implied ? rest : suffix[pos++];
        if (length === undefined || length > suffix.length - pos) return undefined;
        value = suffix.slice(pos, pos + length).join('.');
        pos += length;
        break;
      }
    }
    decoded.push(value);
    values[part.name] = value;
  }
  return pos === suffix.length ? values : undefined;
}

/** A suffix as numbers; undefined when it is not dotted decimal. */
export function suffixArcs(suffix: string): number[] | undefined {
  if (suffix === '') return [];
  const arcs = suffix.split('.').map(Number);
  return arcs.every((n) => Number.isInteger(n) && n >= 0) ? arcs : undefined;
}

function octets(suffix: readonly number[], from: number, length: number): Uint8Array | undefined {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const arc = suffix[from + i];
    if (arc > 255) return undefined;
    bytes[i] = arc;
  }
  return bytes;
}

const PRINTABLE = /^[\x20-\x7e]*$/;

/** An InetAddress by its type, then a non-text DISPLAY-HINT, then printable text, else hex. */
function renderOctets(bytes: Uint8Array, part: IndexPart, inetType: number | undefined): string {
  if (part.inetTypePart !== undefined) {
    const address = inetAddressText(bytes, inetType);
    if (address !== undefined) return address;
  }
  if (part.displayHint !== undefined && !/^\d+[at]$/.test(part.displayHint)) {
    const text = formatOctets(part.displayHint, bytes);
    if (text !== undefined) return text;
  }
  const text = Buffer.from(bytes).toString('latin1');
  return PRINTABLE.test(text) ? text : Buffer.from(bytes).toString('hex');
}
