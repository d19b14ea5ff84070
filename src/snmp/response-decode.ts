import { PDU_TAGS } from './reply.ts';
import { TYPE_TAGS, type WireVarbind } from './varbind.ts';

/**
 * Pure decoder of v1/v2c (community) messages on the two hot paths: Responses for the request path (a walk
 * receives thousands of them, and net-snmp's own decoder — a BER reader object, Message and PDU objects, OIDs
 * built through arrays — was the largest single cost of a walk in netprobe's CPU profile), and v1 Trap /
 * SNMPv2-Trap notifications for the trap receiver (decodeTrap; informs and v3 stay with the library, which
 * acknowledges informs and does USM).
 *
 * It gives exactly what net-snmp's `Message.createFromBuffer` gives for the same bytes (the same varbind
 * objects, with the same JS values: a Buffer view for OCTET STRING, Opaque and Counter64, a number for
 * INTEGER and the unsigned types, a dotted string for OIDs and IpAddress, null for Null and the exceptions),
 * but only for a strictly well-formed message: every length consistent with its parent, nothing left over.
 * Anything else — a type net-snmp decodes oddly (BIT STRING), a length net-snmp reads leniently, an encoding
 * it would reject, a value it decodes into an impossible one (an OID whose first arc is above 2, a Counter64
 * wider than 64 bits: what reply.ts findImpossibleVarbind looks for) — is a ResponseDecodeError, and the
 * caller hands the datagram to the library as before. So what this decoder returns is always possible.
 * The differential tests (test/unit/snmp-response-decode.test.ts) hold it to the library's output.
 *
 * For a trap, "what net-snmp gives" is its TrapPdu (v1: enterprise, agentAddr, generic, specific, upTime,
 * varbinds) or TrapV2Pdu (varbinds) as its Receiver hands them over; the differential tests are in
 * test/unit/snmp-trap-pdu-decode.test.ts.
 *
 * No I/O; decodeResponse() and decodeTrap() throw ResponseDecodeError, and nothing else, on any input.
 */

export class ResponseDecodeError extends Error {
  override readonly name = 'ResponseDecodeError';
}

export interface DecodedResponse {
  /** msgVersion on the wire: 0 = v1, 1 = v2c. */
  version: number;
  /** As net-snmp reads it (UTF-8). */
  community: string;
  requestId: number;
  errorStatus: number;
  errorIndex: number;
  varbinds: WireVarbind[];
}

/** A v1 Trap-PDU (RFC 1157) with the fields net-snmp's TrapPdu decodes it into, or an SNMPv2-Trap-PDU. */
export type DecodedTrapPdu =
  | { type: typeof PDU_TAGS.trapV1; enterprise: string; agentAddr: string; generic: number; specific: number; upTime: number; varbinds: WireVarbind[] }
  | { type: typeof PDU_TAGS.trapV2; varbinds: WireVarbind[] };

export interface DecodedTrap {
  /** msgVersion on the wire: 0 = v1, 1 = v2c (either may carry either PDU, as net-snmp accepts). */
  version: number;
  /** As net-snmp reads it (UTF-8). */
  community: string;
  pdu: DecodedTrapPdu;
}

const SEQUENCE = 0x30;
const INTEGER = TYPE_TAGS.Integer;
const OCTET_STRING = TYPE_TAGS.OctetString;
const OBJECT_IDENTIFIER = TYPE_TAGS.ObjectIdentifier;
/** Long-form lengths of more bytes than this are left to the library (a UDP datagram needs at most 3). */
const MAX_LENGTH_BYTES = 4;

/** Set by readHeader: the content length of the element just read (the decoder is synchronous). */
let contentLength = 0;
/** Set by readContent (and so by readInteger and readValue): where the element just read ends. */
let contentEnd = 0;

function fail(reason: string, offset: number): never {
  throw new ResponseDecodeError(`${reason} at byte ${offset}`);
}

/** Reads the tag and length of the element at `offset`, which must end by `limit`; returns where its content starts. */
function readHeader(buf: Buffer, offset: number, limit: number, tag: number): number {
  if (offset + 2 > limit) fail('truncated element', offset);
  if (buf[offset] !== tag) fail(`expected tag 0x${tag.toString(16)}, got 0x${buf[offset].toString(16)}`, offset);
  let pos = offset + 1;
  let length = buf[pos++];
  if (length >= 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > MAX_LENGTH_BYTES) fail('unsupported length form', offset);
    if (pos + count > limit) fail('truncated length', offset);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos++];
  }
  if (length > limit - pos) fail('element overruns its container', offset);
  contentLength = length;
  return pos;
}

/** A two's-complement integer as net-snmp's reader computes it; must be a safe integer, as net-snmp requires. */
function readIntegerContent(buf: Buffer, pos: number, length: number): number {
  if (length === 0) fail('zero-length integer', pos);
  let value = buf.readInt8(pos);
  for (let i = 1; i < length; i++) value = value * 256 + buf[pos + i];
  if (!Number.isSafeInteger(value)) fail('integer not representable as a JS number', pos);
  return value;
}

/** An INTEGER element at `offset` (tag checked); its end is left in `contentEnd`. */
function readInteger(buf: Buffer, offset: number, limit: number): number {
  return readIntegerContent(buf, readContent(buf, offset, limit, INTEGER), contentLength);
}

/** Where OIDs are spelled out before becoming one flat string (reused: no rope for the walk to flatten later). */
const scratch = Buffer.allocUnsafe(1024);

/**
 * OID content as net-snmp's reader turns it into a string (including its 32-bit arithmetic and its split of
 * the first subidentifier into floor(v / 40) and v % 40). Empty content and a last subidentifier without its
 * final byte, which the library turns into nonsense or drops, are errors here.
 */
function readOidContent(buf: Buffer, pos: number, end: number): string {
  if (pos === end || (buf[end - 1] & 0x80) !== 0) fail('empty or truncated OID', pos);
  // At most 11 characters per subidentifier byte ('.' and 10 digits), plus the first split in two.
  // A longer OID than any real one (an agent's bytes are untrusted) gets a buffer of its own, not kept.
  const room = 11 * (end - pos) + 12;
  const out = room <= scratch.length ? scratch : Buffer.allocUnsafe(room);
  let length = 0;
  let value = 0;
  let first = true;
  for (let i = pos; i < end; i++) {
    const byte = buf[i];
    value <<= 7;
    value += byte & 0x7f;
    if ((byte & 0x80) === 0) {
      const arc = value >>> 0;
      if (first) {
        if (arc >= 120) fail('an OID whose first arc is above 2 is left to the library', pos);
        length = writeDecimal(out, length, (arc / 40) >> 0);
        out[length++] = DOT;
        length = writeDecimal(out, length, arc % 40);
        first = false;
      } else {
        out[length++] = DOT;
        length = writeDecimal(out, length, arc);
      }
      value = 0;
    }
  }
  return out.toString('latin1', 0, length);
}

const DOT = 0x2e;
const ZERO = 0x30;

/** Writes a non-negative integer below 2^32 in decimal at `at`; returns the end. */
function writeDecimal(out: Buffer, at: number, n: number): number {
  if (n < 10) {
    out[at] = ZERO + n;
    return at + 1;
  }
  let digits = 2;
  for (let v = n; v >= 100; v = Math.floor(v / 10)) digits++;
  let v = n;
  for (let i = at + digits - 1; i >= at; i--) {
    const q = Math.floor(v / 10);
    out[i] = ZERO + (v - q * 10);
    v = q;
  }
  return at + digits;
}

/**
 * The value element at `offset` (ending by `limit`), decoded as net-snmp's readVarbindValue does; its end is
 * left in `contentEnd`.
 */
function readValue(buf: Buffer, offset: number, limit: number, type: number): unknown {
  switch (type) {
    case TYPE_TAGS.Integer:
      return readIntegerContent(buf, readContent(buf, offset, limit, type), contentLength);
    case TYPE_TAGS.Counter32:
    case TYPE_TAGS.Gauge32:
    case TYPE_TAGS.TimeTicks:
      return readIntegerContent(buf, readContent(buf, offset, limit, type), contentLength) >>> 0;
    case TYPE_TAGS.Boolean:
      return readIntegerContent(buf, readContent(buf, offset, limit, type), contentLength) !== 0;
    case TYPE_TAGS.Counter64: {
      const pos = readContent(buf, offset, limit, type);
      if (contentLength > 8 && !(contentLength === 9 && buf[pos] === 0)) fail('a Counter64 wider than 64 bits is left to the library', offset);
      return contentLength === 0 ? Buffer.alloc(0) : buf.subarray(pos, contentEnd);
    }
    case TYPE_TAGS.OctetString:
    case TYPE_TAGS.Opaque: {
      const pos = readContent(buf, offset, limit, type);
      return contentLength === 0 ? Buffer.alloc(0) : buf.subarray(pos, contentEnd);
    }
    case TYPE_TAGS.ObjectIdentifier:
      return readOidContent(buf, readContent(buf, offset, limit, type), contentEnd);
    case TYPE_TAGS.IpAddress: {
      const pos = readContent(buf, offset, limit, type);
      if (contentLength !== 4) fail('an IpAddress has 4 bytes', offset);
      return `${buf[pos]}.${buf[pos + 1]}.${buf[pos + 2]}.${buf[pos + 3]}`;
    }
    case TYPE_TAGS.Null:
    case TYPE_TAGS.NoSuchObject:
    case TYPE_TAGS.NoSuchInstance:
    case TYPE_TAGS.EndOfMibView:
      // net-snmp reads the tag and one length byte and nothing else: only an empty value reads the same.
      if (offset + 2 > limit || buf[offset + 1] !== 0) fail('a null value has no content', offset);
      contentEnd = offset + 2;
      return null;
    default:
      // BIT STRING (net-snmp turns it into a string of bits) and unknown types: the library decides.
      return fail(`value type 0x${type.toString(16)} is left to the library`, offset);
  }
}

/** readHeader, with the element's end left in `contentEnd`. */
function readContent(buf: Buffer, offset: number, limit: number, tag: number): number {
  const pos = readHeader(buf, offset, limit, tag);
  contentEnd = pos + contentLength;
  return pos;
}

function mustEnd(actual: number, expected: number): void {
  if (actual !== expected) fail('element does not fill its container', actual);
}

/**
 * Decodes a v1/v2c Response message that fills `buf` exactly. Throws ResponseDecodeError (and nothing else)
 * when the bytes are anything else or are not strictly well formed.
 */
export function decodeResponse(buf: Buffer): DecodedResponse {
  return guarded(decodeResponseMessage, buf);
}

/**
 * Decodes a v1/v2c message carrying a v1 Trap-PDU or an SNMPv2-Trap-PDU that fills `buf` exactly. Throws
 * ResponseDecodeError (and nothing else) for any other message (an inform, v3, a Response…) and for bytes
 * that are not strictly well formed: those are the library's to decode.
 */
export function decodeTrap(buf: Buffer): DecodedTrap {
  return guarded(decodeTrapMessage, buf);
}

function guarded<T>(decode: (buf: Buffer) => T, buf: Buffer): T {
  try {
    return decode(buf);
  } catch (err) {
    if (err instanceof ResponseDecodeError) throw err;
    throw new ResponseDecodeError(`malformed message: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function decodeResponseMessage(buf: Buffer): DecodedResponse {
  const size = buf.length;
  const pos = readPdu(buf, readMessageHeader(buf), PDU_TAGS.response);
  const requestId = readInteger(buf, pos, size);
  const errorStatus = readInteger(buf, contentEnd, size);
  const errorIndex = readInteger(buf, contentEnd, size);
  return { version: messageVersion, community: messageCommunity, requestId, errorStatus, errorIndex, varbinds: readVarbindList(buf, contentEnd) };
}

function decodeTrapMessage(buf: Buffer): DecodedTrap {
  const size = buf.length;
  const at = readMessageHeader(buf);
  const version = messageVersion;
  const community = messageCommunity;
  if (buf[at] === PDU_TAGS.trapV2) {
    // request-id and the two zeroes (net-snmp reads and then deletes them): INTEGERs, not kept.
    readInteger(buf, readPdu(buf, at, PDU_TAGS.trapV2), size);
    readInteger(buf, contentEnd, size);
    readInteger(buf, contentEnd, size);
    return { version, community, pdu: { type: PDU_TAGS.trapV2, varbinds: readVarbindList(buf, contentEnd) } };
  }
  // A v1 Trap-PDU (any other tag fails here): enterprise, agent-addr, generic-trap, specific-trap, time-stamp.
  const enterprise = readValue(buf, readPdu(buf, at, PDU_TAGS.trapV1), size, OBJECT_IDENTIFIER) as string;
  const agentAddr = readValue(buf, contentEnd, size, TYPE_TAGS.IpAddress) as string;
  const generic = readInteger(buf, contentEnd, size);
  const specific = readInteger(buf, contentEnd, size);
  const upTime = readValue(buf, contentEnd, size, TYPE_TAGS.TimeTicks) as number;
  const varbinds = readVarbindList(buf, contentEnd);
  return { version, community, pdu: { type: PDU_TAGS.trapV1, enterprise, agentAddr, generic, specific, upTime, varbinds } };
}

/** Set by readMessageHeader. */
let messageVersion = 0;
let messageCommunity = '';

/**
 * The start of a v1/v2c message filling `buf`: SEQUENCE { version, community, … }. Leaves version and
 * community in messageVersion and messageCommunity; returns where the PDU starts.
 */
function readMessageHeader(buf: Buffer): number {
  const size = buf.length;
  const pos = readHeader(buf, 0, size, SEQUENCE);
  mustEnd(pos + contentLength, size);
  messageVersion = readInteger(buf, pos, size);
  if (messageVersion !== 0 && messageVersion !== 1) fail('not a v1/v2c message', pos);
  const at = readHeader(buf, contentEnd, size, OCTET_STRING);
  messageCommunity = contentLength === 0 ? '' : buf.toString('utf8', at, at + contentLength);
  return at + contentLength;
}

/** The PDU at `offset`, of type `tag`, which must end the message; returns where its content starts. */
function readPdu(buf: Buffer, offset: number, tag: number): number {
  const pos = readHeader(buf, offset, buf.length, tag);
  mustEnd(pos + contentLength, buf.length);
  return pos;
}

/** The VarBindList at `offset`, which must end the message (as the last field of every PDU). */
function readVarbindList(buf: Buffer, offset: number): WireVarbind[] {
  const size = buf.length;
  let pos = readHeader(buf, offset, size, SEQUENCE);
  mustEnd(pos + contentLength, size);
  const varbinds: WireVarbind[] = [];
  while (pos < size) {
    const start = readHeader(buf, pos, size, SEQUENCE);
    const end = start + contentLength;
    const oidStart = readHeader(buf, start, end, OBJECT_IDENTIFIER);
    const valueStart = oidStart + contentLength;
    const oid = readOidContent(buf, oidStart, valueStart);
    if (valueStart >= end) fail('varbind without a value', valueStart);
    const type = buf[valueStart];
    const value = readValue(buf, valueStart, end, type);
    mustEnd(contentEnd, end);
    varbinds.push({ oid, type, value });
    pos = end;
  }
  return varbinds;
}
