import { timeTicksDuration } from './display-hint.ts';
import type { MibResolver } from './mib.ts';
import type { VarbindJson } from './schemas.ts';
import { renderInto } from './value-render.ts';

/** What naming a varbind needs of the MIB resolver (the trap receiver passes a cache in front of it). */
export type OidNamer = Pick<MibResolver, 'lookup' | 'nameOf'>;

/** A varbind as net-snmp takes and hands it over: numeric OID, BER tag, and the value as the library decodes it. */
export interface WireVarbind {
  oid: string;
  type: number;
  value: unknown;
}

/** The varbind types of the JSON form, as SMIv2 names them. */
export const VARBIND_TYPE_NAMES = [
  'Boolean',
  'Integer',
  'OctetString',
  'Null',
  'ObjectIdentifier',
  'IpAddress',
  'Counter32',
  'Gauge32',
  'TimeTicks',
  'Opaque',
  'Counter64',
  'Unsigned32',
  'NoSuchObject',
  'NoSuchInstance',
  'EndOfMibView',
] as const;
export type VarbindTypeName = (typeof VARBIND_TYPE_NAMES)[number];

const NOT_SETTABLE = ['Boolean', 'Null', 'NoSuchObject', 'NoSuchInstance', 'EndOfMibView'] as const;
export type SetTypeName = Exclude<VarbindTypeName, (typeof NOT_SETTABLE)[number]>;
/** The types a SET may carry. */
export const SET_TYPES = VARBIND_TYPE_NAMES.filter((type): type is SetTypeName => !(NOT_SETTABLE as readonly string[]).includes(type));

/** BER tags as net-snmp reports them in `varbind.type`. Gauge32 and Unsigned32 share tag 0x42. */
export const TYPE_TAGS = {
  Boolean: 1,
  Integer: 2,
  BitString: 3,
  OctetString: 4,
  Null: 5,
  ObjectIdentifier: 6,
  IpAddress: 64,
  Counter32: 65,
  Gauge32: 66,
  Unsigned32: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;

const NUMERIC_TYPES: Partial<Record<number, VarbindTypeName>> = {
  [TYPE_TAGS.Integer]: 'Integer',
  [TYPE_TAGS.Counter32]: 'Counter32',
  [TYPE_TAGS.Gauge32]: 'Gauge32',
  [TYPE_TAGS.TimeTicks]: 'TimeTicks',
};

const EXCEPTION_TYPES: Partial<Record<number, VarbindTypeName>> = {
  [TYPE_TAGS.NoSuchObject]: 'NoSuchObject',
  [TYPE_TAGS.NoSuchInstance]: 'NoSuchInstance',
  [TYPE_TAGS.EndOfMibView]: 'EndOfMibView',
};

/**
 * Turns a net-snmp varbind into its JSON form. Pure, and total: a value that does not fit its type
 * (garbage from a peer) becomes hex or null rather than an exception.
 */
export function varbindToJson(vb: WireVarbind, mib: OidNamer): VarbindJson {
  const oid = String(vb.oid);
  const { type, value } = vb;
  const exception = EXCEPTION_TYPES[type];
  if (exception) return withName(oid, mib, exception, null);
  const numeric = NUMERIC_TYPES[type];
  if (numeric) {
    const json = withName(oid, mib, numeric, toSafeInteger(value));
    if (numeric === 'TimeTicks' && typeof json.value === 'number' && json.value >= 0) json.duration = timeTicksDuration(json.value);
    return json;
  }

  switch (type) {
    case TYPE_TAGS.Boolean:
      return withName(oid, mib, 'Boolean', typeof value === 'boolean' ? value : null);
    case TYPE_TAGS.OctetString: {
      const bytes = toBytes(value);
      if (bytes === undefined) return withName(oid, mib, 'OctetString', null);
      const text = printableText(bytes);
      return text === undefined ? withName(oid, mib, 'OctetString', bytes.toString('hex'), 'hex', bytes) : withName(oid, mib, 'OctetString', text, undefined, bytes);
    }
    case TYPE_TAGS.BitString:
      return hexVarbind(oid, mib, 'OctetString', value);
    case TYPE_TAGS.Null:
      return withName(oid, mib, 'Null', null);
    case TYPE_TAGS.ObjectIdentifier: {
      if (typeof value !== 'string' || !isWellFormedOid(value)) return withName(oid, mib, 'ObjectIdentifier', null);
      const json = withName(oid, mib, 'ObjectIdentifier', value);
      const valueName = mib.nameOf(value);
      if (valueName !== undefined) json.valueName = valueName;
      return json;
    }
    case TYPE_TAGS.IpAddress:
      return withName(oid, mib, 'IpAddress', typeof value === 'string' ? value : null);
    case TYPE_TAGS.Opaque:
      return hexVarbind(oid, mib, 'Opaque', value);
    case TYPE_TAGS.Counter64:
      return withName(oid, mib, 'Counter64', counter64ToDecimal(value));
    default:
      return hexVarbind(oid, mib, 'Opaque', value);
  }
}

/**
 * Builds the object in one shape (oid, name?, type, value, encoding?, then what the MIB adds: enum, bits,
 * display): varbinds are made by the thousand, so the node is looked up once and its renderer is cached.
 */
function withName(oid: string, mib: OidNamer, type: VarbindTypeName, value: VarbindJson['value'], encoding?: 'hex', bytes?: Uint8Array): VarbindJson {
  const found = mib.lookup(oid);
  if (found === undefined) {
    const json: VarbindJson = { oid, type, value };
    if (encoding !== undefined) json.encoding = encoding;
    return json;
  }
  const { node, suffix } = found;
  const json: VarbindJson = { oid, name: suffix === '' ? node.qualified : `${node.qualified}.${suffix}`, type, value };
  if (encoding !== undefined) json.encoding = encoding;
  if (node.render !== undefined && value !== null) renderInto(json, node.render, bytes);
  return json;
}

function hexVarbind(oid: string, mib: OidNamer, type: VarbindTypeName, value: unknown): VarbindJson {
  const bytes = toBytes(value);
  return bytes === undefined ? withName(oid, mib, type, null) : withName(oid, mib, type, bytes.toString('hex'), 'hex', bytes);
}

function toSafeInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

function toBytes(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return undefined;
}

/**
 * The text when the bytes are valid UTF-8 without control characters (tab, CR and LF allowed): what a strict
 * TextDecoder (which drops a leading byte-order mark) gives, checked without decoding and without the decoder's
 * exception for the many binary values of a walk (MAC addresses, bit masks).
 */
export function printableText(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (isPrintableAscii(bytes)) return buffer.toString('latin1', 0, bytes.length);
  if (!isPrintableUtf8(bytes)) return undefined;
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', start, bytes.length);
}

/** The common case, checked without decoding: printable ASCII plus tab, CR and LF. */
function isPrintableAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b > 0x7e) return false;
  }
  return true;
}

/**
 * Well-formed UTF-8 as the WHATWG decoder accepts it (no overlong forms, surrogates or code points past
 * U+10FFFF, no truncated sequence) encoding no C0 control but tab, LF and CR, no DEL and no C1 control.
 */
function isPrintableUtf8(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return false;
      i++;
      continue;
    }
    let low = 0x80;
    let high = 0xbf;
    let more: number;
    if (b >= 0xc2 && b <= 0xdf) {
      more = 1;
      if (b === 0xc2) low = 0xa0; // C2 80..9F are the C1 controls U+0080..U+009F
    } else if (b >= 0xe0 && b <= 0xef) {
      more = 2;
      if (b === 0xe0) low = 0xa0;
      else if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      more = 3;
      if (b === 0xf0) low = 0x90;
      else if (b === 0xf4) high = 0x8f;
    } else {
      return false;
    }
    if (i + more >= n) return false;
    const second = bytes[i + 1];
    if (second < low || second > high) return false;
    for (let k = 2; k <= more; k++) {
      const c = bytes[i + k];
      if (c < 0x80 || c > 0xbf) return false;
    }
    i += more + 1;
  }
  return true;
}

/** Counter64 arrives as the BER integer's bytes: read them unsigned, big-endian, as a BigInt. */
export function counter64ToDecimal(value: unknown): string | null {
  if (typeof value === 'bigint') return value >= 0n ? value.toString() : null;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  const bytes = toBytes(value);
  if (bytes === undefined || typeof value === 'string' || !fitsCounter64(bytes)) return null;
  if (bytes.length === 0) return '0';
  return BigInt(`0x${bytes.toString('hex')}`).toString();
}

/** The BER content bytes net-snmp writes for a Counter64 (minimal, with a leading zero when the top bit is set). */
export function decimalToCounter64(decimal: string): Buffer {
  let hex = BigInt(decimal).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return bytes[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** BER content of an unsigned 64-bit integer: at most 8 bytes, or 9 with a leading zero. */
export function fitsCounter64(bytes: Buffer): boolean {
  return bytes.length <= 8 || (bytes.length === 9 && bytes[0] === 0);
}

/** Dotted decimal with at least two arcs under 0, 1 or 2: what a decoded OID must look like (the decoder yields "0.NaN" for an empty one, "3.7" for 2.47). */
export function isWellFormedOid(oid: string): boolean {
  // /^[0-2](\.\d+)+$/, scanned by hand: every varbind of every reply is checked.
  const n = oid.length;
  if (n < 3) return false;
  const first = oid.charCodeAt(0);
  if (first < 0x30 || first > 0x32) return false;
  let i = 1;
  while (i < n) {
    if (oid.charCodeAt(i) !== 0x2e) return false;
    const start = ++i;
    while (i < n) {
      const c = oid.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      i++;
    }
    if (i === start) return false;
  }
  return true;
}
