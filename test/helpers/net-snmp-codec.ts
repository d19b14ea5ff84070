import { EventEmitter } from 'node:events';
import { BerReader } from 'asn1-ber';
import snmp from 'net-snmp';
import type { CommunityRequestMessage } from '../../src/snmp/request-encode.ts';
import type { DecodedResponse } from '../../src/snmp/response-decode.ts';
import type { WireVarbind } from '../../src/snmp/varbind.ts';

/**
 * net-snmp's own message encoder and decoder, which the library does not export: reached through the Message
 * and PDU objects of a request made on a session whose socket only records what is sent. Tests hold our
 * response decoder to exactly what the library's decoder makes of the same bytes.
 */
interface LibraryMessage {
  version: number;
  community: string;
  pdu: { type: number; id: number; errorStatus: number; errorIndex: number; varbinds: WireVarbind[] };
  toBuffer(): Buffer;
}
interface MessageClass {
  createCommunity(version: number, community: string, pdu: object): LibraryMessage;
  createFromBuffer(buffer: Buffer): LibraryMessage;
}

function internals(): { Message: MessageClass; simplePdu: object } {
  const socket = Object.assign(new EventEmitter(), {
    send: (_b: Buffer, _o: number, _l: number, _p: number, _a: string, cb?: (e: Error | null) => void) => cb?.(null),
    ref: () => socket,
    unref: () => socket,
    bind: () => socket,
    close: () => {},
  });
  const session = snmp.createSession('127.0.0.1', 'public', { version: snmp.Version2c, dgramModule: { createSocket: () => socket } } as never) as unknown as {
    get(oids: string[], cb: () => void): void;
    reqs: Record<string, { message: { pdu: object } }>;
    cancelRequests(error: Error): void;
  };
  session.get(['1.3.6.1'], () => {});
  const req = Object.values(session.reqs)[0];
  session.cancelRequests(new Error('only here to reach the classes'));
  const Message = Object.getPrototypeOf(req.message).constructor as MessageClass;
  // GetRequestPdu.prototype → SimplePdu.prototype (its toBuffer writes a GetBulk's two counters where a Response has error-status and -index).
  const simplePdu = Object.getPrototypeOf(Object.getPrototypeOf(req.message.pdu)) as object;
  return { Message, simplePdu };
}

const { Message, simplePdu } = internals();

/** A Response's fields, as our decoder gives them. */
export type ResponseSpec = DecodedResponse;

/**
 * A Response message as net-snmp encodes a PDU: its writer does all the BER (varbinds through writeVarbinds),
 * as a GetBulkRequest so that the two counters are written; the PDU tag is then set to Response.
 */
export function libraryEncodeResponse(spec: ResponseSpec): Buffer {
  const pdu = Object.assign(Object.create(simplePdu) as object, {
    type: snmp.PduType.GetBulkRequest,
    id: spec.requestId,
    varbinds: spec.varbinds,
    options: { nonRepeaters: spec.errorStatus, maxRepetitions: spec.errorIndex },
  });
  const buffer = Buffer.from(Message.createCommunity(spec.version, spec.community, pdu).toBuffer());
  const reader = new BerReader(buffer);
  reader.readSequence();
  reader.readInt();
  reader.readString();
  buffer[reader.offset] = snmp.PduType.GetResponse;
  return buffer;
}

/** What net-snmp's decoder gives the rest of the library for these bytes (it throws on what it cannot decode). */
export function libraryDecodeResponse(buffer: Buffer): ResponseSpec {
  const message = Message.createFromBuffer(buffer);
  const { pdu } = message;
  return { version: message.version, community: message.community, requestId: pdu.id, errorStatus: pdu.errorStatus, errorIndex: pdu.errorIndex, varbinds: pdu.varbinds };
}

/** The PDU tag as net-snmp decoded it (a Response decodes with type 0xa2). */
export function libraryPduType(buffer: Buffer): number {
  return Message.createFromBuffer(buffer).pdu.type;
}

/**
 * The smallest v1 Trap message (community "", enterprise 1.3, agent 127.0.0.1, generic 0, specific 0,
 * time-stamp 0, no varbinds), decoded once by the library to reach its TrapPdu class, which it does not export.
 */
export const MINIMAL_V1_TRAP = Buffer.from('301b02010004 00a414 06012b 40047f000001 020100 020100 430100 3000'.replace(/ /g, ''), 'hex');
const trapPdu = Object.getPrototypeOf(Message.createFromBuffer(MINIMAL_V1_TRAP).pdu) as object;

/** A v1 Trap-PDU's fields, as net-snmp's TrapPdu takes them. */
export interface V1TrapSpec {
  version: number;
  community: string;
  enterprise: string;
  agentAddr: string;
  generic: number;
  specific: number;
  /** 0 is written as the library's process uptime (its TrapPdu writes `upTime || uptime`). */
  upTime: number;
  varbinds: WireVarbind[];
}

/** An SNMPv2-Trap-PDU's fields, as net-snmp's SimplePdu writes them. */
export interface V2TrapSpec {
  version: number;
  community: string;
  requestId: number;
  varbinds: WireVarbind[];
}

/** A trap message as net-snmp's own TrapPdu (v1) or SimplePdu (SNMPv2-Trap) and Message write it. */
export function libraryEncodeTrap(spec: V1TrapSpec | V2TrapSpec): Buffer {
  const pdu =
    'enterprise' in spec
      ? Object.assign(Object.create(trapPdu) as object, {
          type: snmp.PduType.Trap,
          enterprise: spec.enterprise,
          agentAddr: spec.agentAddr,
          generic: spec.generic,
          specific: spec.specific,
          upTime: spec.upTime,
          varbinds: spec.varbinds,
        })
      : Object.assign(Object.create(simplePdu) as object, { type: snmp.PduType.TrapV2, id: spec.requestId, varbinds: spec.varbinds, options: {} });
  return Buffer.from(Message.createCommunity(spec.version, spec.community, pdu).toBuffer());
}

/** net-snmp's Receiver as the trap receiver configures it, fed through a socket stand-in; its last callback. */
let received: { pdu: Record<string, unknown> } | { error: Error } | undefined;
let deliver: ((buffer: Buffer, rinfo: object) => void) | undefined;
const receiverSocket = {
  on(event: string, listener: (buffer: Buffer, rinfo: object) => void) {
    if (event === 'message') deliver = listener;
    return receiverSocket;
  },
  bind: () => {},
  close: () => {},
  send: () => {},
  address: () => ({ address: '127.0.0.1', port: 162, family: 'IPv4' }),
};
snmp.createReceiver(
  { port: 1, disableAuthorization: true, includeAuthentication: true, dgramModule: { createSocket: () => receiverSocket } },
  (error: Error | null, data?: { pdu: Record<string, unknown> }) => {
    received = error ? { error } : { pdu: data!.pdu };
  },
);

/**
 * What net-snmp's Receiver, as the trap receiver configures it (includeAuthentication; authorization disabled,
 * as when every community is accepted), hands its callback for these bytes: the pdu, or the error.
 */
export function libraryReceive(buffer: Buffer): { pdu: Record<string, unknown> } | { error: Error } {
  received = undefined;
  deliver!(buffer, { address: '127.0.0.1', family: 'IPv4', port: 50000, size: buffer.length });
  if (!received) throw new Error('net-snmp\'s receiver did not call back');
  return received;
}

/** A v1/v2c request message as net-snmp builds and encodes it (its Message over a GetRequest/GetNextRequest/GetBulkRequest PDU). */
export function libraryEncodeRequest(message: CommunityRequestMessage): Buffer {
  const pdu = Object.assign(Object.create(simplePdu) as object, { ...message.pdu, options: message.pdu.options ?? {} });
  return Buffer.from(Message.createCommunity(message.version, message.community, pdu).toBuffer());
}
