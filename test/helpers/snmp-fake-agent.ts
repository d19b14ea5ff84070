import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createRequire } from 'node:module';

/**
 * A scripted SNMPv1/v2c "agent" on 127.0.0.1 for behaviour a real snmpd never shows: non-increasing OIDs,
 * tooBig, garbage and truncated packets. BER comes from asn1-ber, the codec net-snmp itself uses.
 */

const requireFromNetSnmp = createRequire(createRequire(import.meta.url).resolve('net-snmp'));
const { Ber } = requireFromNetSnmp('asn1-ber') as { Ber: { Reader: new (b: Buffer) => BerReader; Writer: new () => BerWriter } };

interface BerReader {
  readSequence(tag?: number): number | null;
  readInt(): number;
  readString(tag?: number, asBuffer?: boolean): Buffer;
  readOID(): string;
  peek(): number | null;
  readByte(): number;
  readonly offset: number;
  readonly length: number;
  _offset: number;
}

interface BerWriter {
  startSequence(tag?: number): void;
  endSequence(): void;
  writeInt(value: number, tag?: number): void;
  writeString(value: string, tag?: number): void;
  writeBuffer(value: Buffer, tag: number): void;
  writeOID(value: string): void;
  writeNull(): void;
  buffer: Buffer;
}

export const PDU = { get: 0xa0, getNext: 0xa1, response: 0xa2, set: 0xa3, trapV1: 0xa4, getBulk: 0xa5, trapV2: 0xa7, report: 0xa8 } as const;

export interface FakeRequest {
  version: number;
  community: string;
  pduType: number;
  requestId: number;
  /** GETBULK only. */
  nonRepeaters: number;
  maxRepetitions: number;
  oids: string[];
  /** The UDP source port the request came from: one per client session. */
  peerPort: number;
}

export interface FakeVarbind {
  oid: string;
  /** BER tag: 2 Integer, 4 OctetString, 6 OID, 0x46 Counter64, 0x82 endOfMibView, … */
  type: number;
  /** A Buffer is written as the value's raw content bytes, whatever the tag: for values no agent should send. */
  value?: number | string | Buffer;
}

export interface FakeResponse {
  errorStatus?: number;
  errorIndex?: number;
  varbinds: FakeVarbind[];
}

/** What to send back: a response, raw bytes, several datagrams, a datagram sent from another UDP port, or nothing. */
export type FakeReply = FakeResponse | Buffer | Buffer[] | { fromOtherPort: Buffer } | null;

export interface FakeAgent {
  port: number;
  requests: FakeRequest[];
  setHandler(handler: (request: FakeRequest) => FakeReply | Promise<FakeReply>): void;
  stop(): Promise<void>;
}

export async function startFakeAgent(handler: (request: FakeRequest) => FakeReply | Promise<FakeReply>): Promise<FakeAgent> {
  const socket: Socket = createSocket('udp4');
  const otherPort: Socket = createSocket('udp4');
  const requests: FakeRequest[] = [];
  let current = handler;
  socket.on('message', async (message: Buffer, peer: RemoteInfo) => {
    let request: FakeRequest;
    try {
      request = { ...decodeRequest(message), peerPort: peer.port };
    } catch {
      return;
    }
    requests.push(request);
    const reply = await current(request);
    if (reply === null) return;
    if (!Buffer.isBuffer(reply) && 'fromOtherPort' in reply) {
      otherPort.send(reply.fromOtherPort, peer.port, peer.address);
      return;
    }
    const datagrams = Array.isArray(reply) ? reply : [Buffer.isBuffer(reply) ? reply : encodeResponse(request, reply)];
    for (const datagram of datagrams) socket.send(datagram, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => otherPort.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    requests,
    setHandler: (next) => (current = next),
    stop: async () => {
      await new Promise<void>((resolve) => otherPort.close(() => resolve()));
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

function decodeRequest(message: Buffer): Omit<FakeRequest, 'peerPort'> {
  const reader = new Ber.Reader(message);
  reader.readSequence();
  const version = reader.readInt();
  const community = reader.readString(0x04, true).toString('latin1');
  const pduType = reader.peek()!;
  reader.readSequence(pduType);
  const requestId = reader.readInt();
  const nonRepeaters = reader.readInt();
  const maxRepetitions = reader.readInt();
  reader.readSequence();
  const oids: string[] = [];
  const end = reader.offset + reader.length;
  while (reader.offset < end && reader.readSequence() !== null) {
    oids.push(reader.readOID());
    reader.readByte(); // value tag (requests carry Null)
    const length = reader.readByte();
    reader._offset += length;
  }
  return { version, community, pduType, requestId, nonRepeaters, maxRepetitions, oids };
}

/** A v1/v2c message answering `request`: a Response, or with `pduTag` another PDU type carrying the same request id. */
export function encodeResponse(request: FakeRequest, response: FakeResponse, pduTag: number = PDU.response): Buffer {
  const writer = new Ber.Writer();
  writer.startSequence();
  writer.writeInt(request.version);
  writer.writeString(request.community);
  writer.startSequence(pduTag);
  writer.writeInt(request.requestId);
  writer.writeInt(response.errorStatus ?? 0);
  writer.writeInt(response.errorIndex ?? 0);
  writer.startSequence();
  for (const vb of response.varbinds) {
    writer.startSequence();
    writer.writeOID(vb.oid);
    writeValue(writer, vb);
    writer.endSequence();
  }
  writer.endSequence();
  writer.endSequence();
  writer.endSequence();
  return writer.buffer;
}

function writeValue(writer: BerWriter, vb: FakeVarbind): void {
  const { type, value } = vb;
  if (Buffer.isBuffer(value)) return writer.writeBuffer(value, type);
  if (type === 0x05) return writer.writeNull();
  if (type === 0x06) return writer.writeOID(String(value));
  if (typeof value === 'number') return writer.writeInt(value, type);
  if (typeof value === 'string') return writer.writeString(value, type);
  writer.writeBuffer(Buffer.alloc(0), type);
}

/**
 * An SNMPv3 message (flags: authentication, no privacy) whose msgID is `msgId`, carrying a Response.
 * Sent to a v1/v2c session whose request id is `msgId`, it is a message of the wrong version that the
 * library would check with a user it does not have.
 */
export function encodeV3Response(msgId: number, varbinds: FakeVarbind[]): Buffer {
  const security = new Ber.Writer();
  security.startSequence();
  security.writeBuffer(Buffer.from('8000000001020304', 'hex'), 0x04);
  security.writeInt(1);
  security.writeInt(100);
  security.writeString('hostile');
  security.writeBuffer(Buffer.alloc(12), 0x04);
  security.writeBuffer(Buffer.alloc(0), 0x04);
  security.endSequence();

  const writer = new Ber.Writer();
  writer.startSequence();
  writer.writeInt(3);
  writer.startSequence();
  writer.writeInt(msgId);
  writer.writeInt(65507);
  writer.writeBuffer(Buffer.from([0x01]), 0x04);
  writer.writeInt(3);
  writer.endSequence();
  writer.writeBuffer(security.buffer, 0x04);
  writer.startSequence();
  writer.writeBuffer(Buffer.from('8000000001020304', 'hex'), 0x04);
  writer.writeBuffer(Buffer.alloc(0), 0x04);
  writer.startSequence(PDU.response);
  writer.writeInt(msgId);
  writer.writeInt(0);
  writer.writeInt(0);
  writer.startSequence();
  for (const vb of varbinds) {
    writer.startSequence();
    writer.writeOID(vb.oid);
    writeValue(writer, vb);
    writer.endSequence();
  }
  writer.endSequence();
  writer.endSequence();
  writer.endSequence();
  writer.endSequence();
  return writer.buffer;
}

/** An SNMPv1 Trap-PDU (it has no request id) from the agent's community. */
export function encodeV1Trap(request: FakeRequest): Buffer {
  const writer = new Ber.Writer();
  writer.startSequence();
  writer.writeInt(0);
  writer.writeString(request.community);
  writer.startSequence(PDU.trapV1);
  writer.writeOID('1.3.6.1.4.1.99999');
  writer.writeBuffer(Buffer.from([127, 0, 0, 1]), 0x40);
  writer.writeInt(6);
  writer.writeInt(1);
  writer.writeInt(0, 0x43);
  writer.startSequence();
  writer.endSequence();
  writer.endSequence();
  writer.endSequence();
  return writer.buffer;
}

/** A subtree of `count` Integer leaves under `root`, answered in order for GETNEXT and GETBULK. */
export function orderedTree(root: string, count: number): (request: FakeRequest) => FakeResponse {
  const leaves = Array.from({ length: count }, (_, i) => `${root}.${i + 1}`);
  return (request) => {
    const after = request.oids[0];
    const start = leaves.findIndex((oid) => compare(oid, after) > 0);
    const reps = request.pduType === PDU.getBulk ? Math.max(1, request.maxRepetitions) : 1;
    const varbinds: FakeVarbind[] = [];
    for (let i = 0; i < reps; i++) {
      const oid = start >= 0 ? leaves[start + i] : undefined;
      varbinds.push(oid ? { oid, type: 0x02, value: start + i + 1 } : { oid: after, type: 0x82 });
      if (!oid) break;
    }
    return { varbinds };
  };
}

function compare(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
