import { BerWriter } from 'asn1-ber';
import { PDU_TAGS, WIRE_VERSIONS } from './reply.ts';
import { TYPE_TAGS } from './varbind.ts';

/** usmStatsNotInTimeWindows.0 (RFC 3414 §5). */
export const USM_STATS_NOT_IN_TIME_WINDOWS = '1.3.6.1.6.3.15.1.1.2.0';

const SEQUENCE = 0x30;
const MAX_MESSAGE_SIZE = 65507;
const USM = 3;

export interface UsmReport {
  msgId: number;
  /** The request-id of the PDU it answers (0 when it could not be read). */
  requestId: number;
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  /** The usmStats counter it carries, and its value. */
  oid: string;
  count: number;
}

/**
 * An unauthenticated SNMPv3 Report (noAuthNoPriv, not reportable), as net-snmp's receiver sends for
 * discovery: the message id of the message it answers, our engine's ID, boots and time, and one usmStats
 * varbind. Pure.
 */
export function encodeUsmReport(report: UsmReport): Buffer {
  const security = new BerWriter();
  security.startSequence(SEQUENCE);
  security.writeBuffer(report.engineId, TYPE_TAGS.OctetString);
  security.writeInt(report.engineBoots, TYPE_TAGS.Integer);
  security.writeInt(report.engineTime, TYPE_TAGS.Integer);
  for (let i = 0; i < 3; i++) security.writeBuffer(Buffer.alloc(0), TYPE_TAGS.OctetString); // user name, auth and priv parameters
  security.endSequence();

  const writer = new BerWriter();
  writer.startSequence(SEQUENCE);
  writer.writeInt(WIRE_VERSIONS['3'], TYPE_TAGS.Integer);
  writer.startSequence(SEQUENCE);
  writer.writeInt(report.msgId, TYPE_TAGS.Integer);
  writer.writeInt(MAX_MESSAGE_SIZE, TYPE_TAGS.Integer);
  writer.writeBuffer(Buffer.from([0]), TYPE_TAGS.OctetString);
  writer.writeInt(USM, TYPE_TAGS.Integer);
  writer.endSequence();
  writer.writeBuffer(security.buffer, TYPE_TAGS.OctetString);
  writer.startSequence(SEQUENCE);
  writer.writeBuffer(report.engineId, TYPE_TAGS.OctetString);
  writer.writeBuffer(Buffer.alloc(0), TYPE_TAGS.OctetString);
  writer.startSequence(PDU_TAGS.report);
  writer.writeInt(report.requestId, TYPE_TAGS.Integer);
  writer.writeInt(0, TYPE_TAGS.Integer);
  writer.writeInt(0, TYPE_TAGS.Integer);
  writer.startSequence(SEQUENCE);
  writer.startSequence(SEQUENCE);
  writer.writeOID(report.oid, TYPE_TAGS.ObjectIdentifier);
  writer.writeInt(report.count, TYPE_TAGS.Counter32);
  writer.endSequence();
  writer.endSequence();
  writer.endSequence();
  writer.endSequence();
  writer.endSequence();
  return writer.buffer;
}
