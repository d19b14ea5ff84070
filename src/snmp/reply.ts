import { BerReader } from 'asn1-ber';
import { fitsCounter64, isWellFormedOid, TYPE_TAGS } from './varbind.ts';

/**
 * Pure checks on an agent's reply, made before and after net-snmp decodes it. An agent's bytes are
 * untrusted: the library must never see a message it cannot handle (a Report PDU in a v1/v2c reply
 * crashes it), and a reply it cannot decode must fail the request it answers at once, naming the
 * varbind, instead of leaving it to time out.
 */

export const PDU_TAGS = {
  getRequest: 0xa0,
  getNextRequest: 0xa1,
  response: 0xa2,
  setRequest: 0xa3,
  trapV1: 0xa4,
  getBulkRequest: 0xa5,
  informRequest: 0xa6,
  trapV2: 0xa7,
  report: 0xa8,
} as const;

const PDU_NAMES: Record<number, string> = {
  [PDU_TAGS.getRequest]: 'GetRequest',
  [PDU_TAGS.getNextRequest]: 'GetNextRequest',
  [PDU_TAGS.response]: 'Response',
  [PDU_TAGS.setRequest]: 'SetRequest',
  [PDU_TAGS.trapV1]: 'Trap (SNMPv1)',
  [PDU_TAGS.getBulkRequest]: 'GetBulkRequest',
  [PDU_TAGS.informRequest]: 'InformRequest',
  [PDU_TAGS.trapV2]: 'SNMPv2-Trap',
  [PDU_TAGS.report]: 'Report',
};

/** msgVersion on the wire: 0 = v1, 1 = v2c, 3 = v3. */
export const WIRE_VERSIONS = { '1': 0, '2c': 1, '3': 3 } as const;

const SEQUENCE = 0x30;
const INTEGER = TYPE_TAGS.Integer;
const OCTET_STRING = TYPE_TAGS.OctetString;
const OBJECT_IDENTIFIER = TYPE_TAGS.ObjectIdentifier;

export interface ReplyHeader {
  version: number;
  /** The PDU tag; unknown for v3 (the scoped PDU may be encrypted). */
  pduTag?: number;
  /** The request-id (v1/v2c) or msgID (v3) that ties the reply to a request; absent for a v1 Trap-PDU. */
  requestId?: number;
  /** The message's declared length is not the datagram's: it was truncated or has trailing bytes. */
  framingError?: string;
}

export function pduName(tag: number): string {
  return PDU_NAMES[tag] ?? `unknown PDU (tag 0x${tag.toString(16)})`;
}

/** The header fields of an SNMP message, or undefined when the bytes do not start like one. Never throws. */
export function peekReply(buffer: Buffer): ReplyHeader | undefined {
  try {
    const reader = new BerReader(buffer);
    if (reader.readSequence(SEQUENCE) === null) return undefined;
    const declared = reader.offset + reader.length;
    const framing = declared === buffer.length ? {} : { framingError: `the message declares ${declared} bytes but the datagram has ${buffer.length}` };
    const version = reader.readInt(INTEGER);
    if (version === null) return undefined;
    if (version === WIRE_VERSIONS['3']) {
      if (reader.readSequence(SEQUENCE) === null) return undefined;
      const msgId = reader.readInt(INTEGER);
      return msgId === null ? undefined : { version, requestId: msgId, ...framing };
    }
    if (reader.readString(OCTET_STRING, true) === null) return undefined;
    const pduTag = reader.peek();
    if (pduTag === null) return undefined;
    if (pduTag === PDU_TAGS.trapV1) return { version, pduTag, ...framing };
    if (reader.readSequence(pduTag) === null) return undefined;
    const requestId = reader.readInt(INTEGER);
    return requestId === null ? { version, pduTag, ...framing } : { version, pduTag, requestId, ...framing };
  } catch {
    return undefined;
  }
}

export interface BadVarbind {
  /** 1-based position in the reply, as error-index counts. */
  index: number;
  oid: string | null;
  /** BER tag of the value. */
  type: number | null;
  reason: string;
}

export type ValueReader = (reader: BerReader, type: number) => unknown;

/**
 * The first varbind of a v1/v2c reply that `readValue` (the library's own value decoder) cannot decode,
 * or undefined when every varbind decodes or the message is not a plain v1/v2c message.
 */
export function findUndecodableVarbind(buffer: Buffer, readValue: ValueReader): BadVarbind | undefined {
  const reader = new BerReader(buffer);
  try {
    reader.readSequence(SEQUENCE);
    if (reader.readInt(INTEGER) === WIRE_VERSIONS['3']) return undefined;
    reader.readString(OCTET_STRING, true);
    const pduTag = reader.peek();
    if (pduTag === null || pduTag === PDU_TAGS.trapV1) return undefined;
    reader.readSequence(pduTag);
    reader.readInt(INTEGER);
    reader.readInt(INTEGER);
    reader.readInt(INTEGER);
    if (reader.readSequence(SEQUENCE) === null) return undefined;
  } catch {
    return undefined;
  }
  const end = reader.offset + reader.length;
  for (let index = 1; reader.offset < end; index++) {
    let oid: string | null = null;
    let type: number | null = null;
    try {
      if (reader.readSequence(SEQUENCE) === null) return { index, oid, type, reason: 'the varbind is truncated' };
      oid = reader.readOID(OBJECT_IDENTIFIER);
      if (oid === null || !isWellFormedOid(oid)) return { index, oid: null, type, reason: 'the varbind name is not a valid OID' };
      type = reader.peek();
      if (type === null) return { index, oid, type, reason: 'the varbind has no value' };
      readValue(reader, type);
    } catch (err) {
      return { index, oid, type, reason: err instanceof Error ? err.message : String(err) };
    }
  }
  return undefined;
}

interface DecodedVarbind {
  oid: unknown;
  type: unknown;
  value: unknown;
}

/**
 * A varbind the library decoded without complaint but whose value is still impossible: an OID value with
 * no arcs ('0.NaN'), a Counter64 wider than 64 bits. The index is 1-based over the flattened reply.
 */
export function findImpossibleVarbind(varbinds: readonly (DecodedVarbind | readonly DecodedVarbind[])[]): BadVarbind | undefined {
  let index = 0;
  for (const entry of varbinds) {
    for (const vb of (Array.isArray(entry) ? entry : [entry]) as DecodedVarbind[]) {
      index++;
      const reason = impossibility(vb);
      if (reason) {
        return { index, oid: typeof vb.oid === 'string' ? vb.oid : null, type: typeof vb.type === 'number' ? vb.type : null, reason };
      }
    }
  }
  return undefined;
}

function impossibility(vb: DecodedVarbind): string | undefined {
  if (typeof vb.oid !== 'string' || !isWellFormedOid(vb.oid)) return 'the varbind name is not a valid OID';
  if (vb.type === OBJECT_IDENTIFIER && (typeof vb.value !== 'string' || !isWellFormedOid(vb.value))) {
    return 'the ObjectIdentifier value is empty or malformed';
  }
  if (vb.type === TYPE_TAGS.Counter64 && Buffer.isBuffer(vb.value) && !fitsCounter64(vb.value)) {
    return `the Counter64 value has ${vb.value.length} bytes, more than 64 bits`;
  }
  return undefined;
}

/**
 * The msgVersion of an SNMP message (WIRE_VERSIONS) read from its first bytes, cheaply (the trap port routes
 * every datagram by it):
 * SEQUENCE { INTEGER version, ... }. Undefined when the bytes do not start that way; the library decides then.
 */
export function peekSnmpVersion(buffer: Buffer): number | undefined {
  if (buffer.length < 5 || buffer[0] !== SEQUENCE) return undefined;
  const lengthByte = buffer[1];
  const header = lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  if (buffer[header] !== INTEGER || buffer[header + 1] !== 0x01 || header + 2 >= buffer.length) return undefined;
  return buffer[header + 2];
}

/** msgFlags bits (RFC 3412 §6.4). */
export const V3_FLAGS = { auth: 0x01, priv: 0x02, reportable: 0x04 } as const;

/** The USM header of an SNMPv3 message (RFC 3412 §6, RFC 3414 §2.4): what the time-window check needs. */
export interface V3SecurityHeader {
  msgId: number;
  flags: number;
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  userName: string;
  /** msgAuthenticationParameters: the digest, a view into the datagram (net-snmp zeroes and restores it while checking). */
  digest: Buffer;
  /** msgPrivacyParameters (the salt of an encrypted scoped PDU). */
  privParams: Buffer;
  /** The scoped PDU: its encrypted octets (priv flag set) or its plaintext SEQUENCE. */
  scopedPdu: Buffer;
}

/** The USM header of a v3 message with the user-based security model, or undefined when it is not one. Never throws. */
export function peekV3Security(buffer: Buffer): V3SecurityHeader | undefined {
  try {
    const reader = new BerReader(buffer);
    if (reader.readSequence(SEQUENCE) === null || reader.readInt(INTEGER) !== WIRE_VERSIONS['3']) return undefined;
    if (reader.readSequence(SEQUENCE) === null) return undefined;
    const msgId = reader.readInt(INTEGER);
    reader.readInt(INTEGER); // msgMaxSize
    const flags = reader.readString(OCTET_STRING, true);
    const securityModel = reader.readInt(INTEGER);
    if (msgId === null || !flags || flags.length !== 1 || securityModel !== USM_SECURITY_MODEL) return undefined;
    const parameters = reader.readString(OCTET_STRING, true);
    if (!parameters) return undefined;
    const scopedStart = reader.offset;
    const usm = new BerReader(parameters);
    if (usm.readSequence(SEQUENCE) === null) return undefined;
    const engineId = usm.readString(OCTET_STRING, true);
    const engineBoots = usm.readInt(INTEGER);
    const engineTime = usm.readInt(INTEGER);
    const userName = usm.readString(OCTET_STRING, true);
    const digest = usm.readString(OCTET_STRING, true);
    const privParams = usm.readString(OCTET_STRING, true);
    if (!engineId || engineBoots === null || engineTime === null || !userName || !digest || !privParams) return undefined;
    if (engineBoots < 0 || engineTime < 0) return undefined;
    const priv = (flags[0] & V3_FLAGS.priv) !== 0;
    const scopedPdu = priv ? reader.readString(OCTET_STRING, true) : buffer.subarray(scopedStart);
    if (!scopedPdu) return undefined;
    return { msgId, flags: flags[0], engineId, engineBoots, engineTime, userName: userName.toString('utf8'), digest, privParams, scopedPdu };
  } catch {
    return undefined;
  }
}

/** The request-id of a plaintext scoped PDU (contextEngineID, contextName, PDU), or undefined. Never throws. */
export function scopedPduRequestId(scopedPdu: Buffer): number | undefined {
  try {
    const reader = new BerReader(scopedPdu);
    if (reader.readSequence(SEQUENCE) === null) return undefined;
    reader.readString(OCTET_STRING, true);
    reader.readString(OCTET_STRING, true);
    const tag = reader.peek();
    if (tag === null || reader.readSequence(tag) === null) return undefined;
    return reader.readInt(INTEGER) ?? undefined;
  } catch {
    return undefined;
  }
}

/** msgSecurityModel of the user-based security model (RFC 3414). */
const USM_SECURITY_MODEL = 3;
