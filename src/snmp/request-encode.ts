import { PDU_TAGS } from './reply.ts';
import { TYPE_TAGS } from './varbind.ts';

/**
 * Pure encoder of the v1/v2c requests on the hot path: GetRequest, GetNextRequest and GetBulkRequest, whose
 * varbinds are OIDs with NULL values. The mirror of response-decode.ts: net-snmp builds each request through
 * asn1-ber's Writer (an options merge, a zeroed 1 KB buffer, sequences shifted into place, OIDs through
 * arrays), about 20 µs of a walk's 50 µs turn between a reply and the next request, in the service.
 *
 * It gives exactly the bytes net-snmp's `Message.toBuffer()` gives for the same message (the differential
 * tests in test/unit/snmp-request-encode.test.ts hold it to the library), and only where the library's own
 * encoding is right: anything else (v3, another PDU, a varbind with a value, an OID whose first two arcs do not
 * fit one byte or with an arc of 2^32 and above, an integer outside 32 bits) gives undefined, and the caller
 * lets the library encode it as before. No I/O; never throws.
 */

/** What the encoder reads of net-snmp's Message (a v1/v2c message, as `Message.createCommunity` builds it). */
export interface CommunityRequestMessage {
  version: number;
  community: string;
  pdu: {
    type: number;
    id: number;
    varbinds: readonly { oid: string; type?: unknown }[];
    options?: { nonRepeaters?: number; maxRepetitions?: number };
  };
}

const SEQUENCE = 0x30;
const INTEGER = TYPE_TAGS.Integer;
const OCTET_STRING = TYPE_TAGS.OctetString;
const OBJECT_IDENTIFIER = TYPE_TAGS.ObjectIdentifier;
const NULL = TYPE_TAGS.Null;
const ENCODED_TYPES = new Set<number>([PDU_TAGS.getRequest, PDU_TAGS.getNextRequest, PDU_TAGS.getBulkRequest]);
const MAX_ARC = 0xffffffff;
const MAX_LENGTH = 0xffffff;

/** The message's bytes, or undefined when the library should encode it (see above). */
export function encodeCommunityRequest(message: CommunityRequestMessage): Buffer | undefined {
  const { version, community, pdu } = message;
  if (typeof pdu !== 'object' || pdu === null || !Array.isArray(pdu.varbinds)) return undefined;
  if ((version !== 0 && version !== 1) || !ENCODED_TYPES.has(pdu.type) || typeof community !== 'string') return undefined;
  const bulk = pdu.type === PDU_TAGS.getBulkRequest;
  const integers = [version, pdu.id, bulk ? (pdu.options?.nonRepeaters ?? 0) : 0, bulk ? (pdu.options?.maxRepetitions ?? 0) : 0];
  if (!integers.every(isInt32)) return undefined;

  const oids: number[][] = [];
  let varbindsLength = 0;
  for (const varbind of pdu.varbinds) {
    if (typeof varbind !== 'object' || varbind === null || varbind.type) return undefined; // a value to encode: the library's path
    const arcs = oidArcs(varbind.oid);
    if (!arcs) return undefined;
    oids.push(arcs);
    varbindsLength += tlvLength(tlvLength(oidContentLength(arcs)) + 2);
  }
  const communityLength = Buffer.byteLength(community);
  const pduContent = intTlvLength(pdu.id) + intTlvLength(integers[2]) + intTlvLength(integers[3]) + tlvLength(varbindsLength);
  const messageContent = intTlvLength(version) + tlvLength(communityLength) + tlvLength(pduContent);
  if (messageContent > MAX_LENGTH) return undefined;

  const out = Buffer.allocUnsafe(tlvLength(messageContent));
  let at = writeHeader(out, 0, SEQUENCE, messageContent);
  at = writeInt(out, at, version);
  at = writeHeader(out, at, OCTET_STRING, communityLength);
  at += out.write(community, at);
  at = writeHeader(out, at, pdu.type, pduContent);
  at = writeInt(out, at, pdu.id);
  at = writeInt(out, at, integers[2]);
  at = writeInt(out, at, integers[3]);
  at = writeHeader(out, at, SEQUENCE, varbindsLength);
  for (const arcs of oids) {
    const oidLength = oidContentLength(arcs);
    at = writeHeader(out, at, SEQUENCE, tlvLength(oidLength) + 2);
    at = writeHeader(out, at, OBJECT_IDENTIFIER, oidLength);
    at = writeOidContent(out, at, arcs);
    out[at++] = NULL;
    out[at++] = 0;
  }
  return at === out.length ? out : undefined;
}

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff;
}

/** The arcs of a dotted OID, when the library encodes it right: two arcs or more, the first two in one byte. */
function oidArcs(oid: string): number[] | undefined {
  if (typeof oid !== 'string' || !/^\d+(\.\d+)+$/.test(oid)) return undefined;
  const arcs = oid.split('.').map(Number);
  if (arcs.some((arc) => arc > MAX_ARC) || arcs[0] * 40 + arcs[1] > 0x7f) return undefined;
  return arcs;
}

function oidContentLength(arcs: readonly number[]): number {
  let length = 1;
  for (let i = 2; i < arcs.length; i++) length += base128Length(arcs[i]);
  return length;
}

function base128Length(arc: number): number {
  let length = 1;
  for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) length++;
  return length;
}

function writeOidContent(out: Buffer, at: number, arcs: readonly number[]): number {
  out[at++] = arcs[0] * 40 + arcs[1];
  for (let i = 2; i < arcs.length; i++) {
    const arc = arcs[i];
    for (let shift = base128Length(arc) - 1; shift > 0; shift--) out[at++] = 0x80 | (Math.floor(arc / 128 ** shift) & 0x7f);
    out[at++] = arc & 0x7f;
  }
  return at;
}

/** Bytes of a whole TLV whose content is `length` bytes (the definite, shortest length form). */
function tlvLength(length: number): number {
  return 1 + lengthOfLength(length) + length;
}

function lengthOfLength(length: number): number {
  return length <= 0x7f ? 1 : length <= 0xff ? 2 : length <= 0xffff ? 3 : 4;
}

function writeHeader(out: Buffer, at: number, tag: number, length: number): number {
  out[at++] = tag;
  const extra = lengthOfLength(length) - 1;
  if (extra === 0) {
    out[at++] = length;
    return at;
  }
  out[at++] = 0x80 | extra;
  for (let shift = extra - 1; shift >= 0; shift--) out[at++] = (length >>> (8 * shift)) & 0xff;
  return at;
}

/** The shortest two's complement, as asn1-ber writes it. */
function intContentLength(value: number): number {
  let length = 1;
  for (let rest = value; rest < -0x80 || rest >= 0x80; rest = Math.floor(rest / 0x100)) length++;
  return length;
}

function intTlvLength(value: number): number {
  return 2 + intContentLength(value);
}

function writeInt(out: Buffer, at: number, value: number): number {
  const length = intContentLength(value);
  out[at++] = INTEGER;
  out[at++] = length;
  for (let shift = length - 1; shift >= 0; shift--) out[at++] = (value >> (8 * shift)) & 0xff;
  return at;
}
