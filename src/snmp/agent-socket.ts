import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { peekReply, PDU_TAGS, WIRE_VERSIONS, type ReplyHeader } from './reply.ts';
import { decodeResponse, type DecodedResponse } from './response-decode.ts';

/** What the socket needs from the session that owns it, to settle requests the library cannot. */
export interface AgentSocketOwner {
  /** The library's pending request with this id, if any (opaque here). */
  pendingRequest(requestId: number): object | undefined;
  /**
   * A datagram answered this request id with something that is not a usable reply. `pending` is the
   * request as it was before the library handled the datagram (the library may have dropped it already).
   */
  rejectRequest(requestId: number, reason: RejectReason, pending?: object): void;
  /**
   * A v1/v2c Response this socket decoded itself (response-decode.ts): settle its pending request exactly as
   * the library would have. False when the session cannot (no such request, a community or version the
   * request did not use): the datagram then goes to the library as any other.
   */
  deliverResponse(response: DecodedResponse): boolean;
  /** The agent's port is unreachable (ICMP): every pending request fails now rather than at its timeout. */
  failAll(error: Error): void;
}

export type RejectReason =
  | { kind: 'unexpectedPdu'; pduTag: number }
  | { kind: 'badFraming'; detail: string }
  | { kind: 'undecodable'; buffer: Buffer; error: unknown }
  | { kind: 'libraryFault'; error: unknown };

export interface AgentSocketStats {
  /** Datagrams dropped before the library saw them, by reason. */
  dropped: { notSnmp: number; wrongVersion: number; wrongSource: number };
  /** v1/v2c Responses decoded by response-decode.ts and delivered without the library's decoder. */
  decoded: number;
}

type Send = (error: Error | null) => void;
type QueuedSend = { buffer: Buffer; offset: number; length: number; callback?: Send };

/**
 * The UDP socket of one SNMP session, handed to net-snmp through its `dgramModule` option.
 *
 * - It is connected to the agent's address and port, so the kernel drops datagrams from anyone else
 *   (a reply from another port is not a reply) and reports ICMP port unreachable as an error.
 * - Every datagram is inspected before the library sees it: a message of another SNMP version, or a
 *   v1/v2c PDU other than a Response (a Report crashes the library), never reaches the library; when
 *   it carries the id of a pending request, that request fails at once as a protocol error.
 * - A datagram the library cannot decode, or one that makes it throw, fails its request at once.
 * - A well-formed v1/v2c Response is decoded here (response-decode.ts, cheaper than the library's decoder,
 *   and identical in result) and handed to the session, which settles the request as the library would;
 *   anything the decoder does not accept takes the path above, unchanged.
 */
export class AgentSocket extends EventEmitter {
  private readonly socket: dgram.Socket;
  private connected = false;
  private closed = false;
  private connectError: Error | undefined;
  private queue: QueuedSend[] = [];
  private libraryOnMessage: ((buffer: Buffer) => void) | undefined;
  /** The datagram the library is decoding right now (it decodes synchronously), to tie a decode error to it. */
  private current: { header: ReplyHeader; buffer: Buffer } | undefined;
  readonly stats: AgentSocketStats = { dropped: { notSnmp: 0, wrongVersion: 0, wrongSource: 0 }, decoded: 0 };

  private readonly agent: { address: string; port: number };
  private readonly wireVersion: number;
  private readonly owner: AgentSocketOwner;
  constructor(
    type: 'udp4' | 'udp6',
    agent: { address: string; port: number },
    wireVersion: number,
    owner: AgentSocketOwner,
  ) {
    super();
    this.agent = agent;
    this.wireVersion = wireVersion;
    this.owner = owner;
    this.socket = dgram.createSocket({ type });
    this.socket.on('message', (buffer, rinfo) => this.onDatagram(buffer, rinfo));
    this.socket.on('error', (err) => this.onSocketError(err));
    this.socket.on('close', () => this.emit('close'));
    this.socket.connect(agent.port, agent.address, (err?: Error) => this.onConnected(err));
  }

  /** net-snmp registers its handlers here; 'message' is the only one it gets datagrams through. */
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    if (event === 'message') this.libraryOnMessage = listener as unknown as (buffer: Buffer) => void;
    else super.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** The library's send(buffer, offset, length, port, address, callback); port and address are the connected peer's. */
  send(buffer: Buffer, offset: number, length: number, _port: number, _address: string, callback?: Send): void {
    if (this.closed) return callback?.(new Error('the SNMP session was closed'));
    if (this.connectError) return callback?.(this.connectError);
    if (!this.connected) {
      this.queue.push({ buffer, offset, length, callback });
      return;
    }
    this.socket.send(buffer, offset, length, (error) => callback?.(error ?? null));
  }

  /** Called by the session when the library reports that it could not decode a datagram. */
  libraryCouldNotDecode(error: unknown): void {
    const current = this.current;
    if (current?.header.requestId === undefined) return;
    this.owner.rejectRequest(current.header.requestId, { kind: 'undecodable', buffer: current.buffer, error });
  }

  ref(): this {
    this.socket.ref();
    return this;
  }

  unref(): this {
    this.socket.unref();
    return this;
  }

  bind(): this {
    return this;
  }

  address() {
    return this.socket.address();
  }

  close(callback?: () => void): void {
    if (this.closed) return callback?.();
    this.closed = true;
    this.failQueued(new Error('the SNMP session was closed'));
    this.socket.close(callback);
  }

  private onConnected(err?: Error): void {
    if (err) {
      this.connectError = err;
      this.failQueued(err);
      return;
    }
    this.connected = true;
    const queued = this.queue;
    this.queue = [];
    for (const { buffer, offset, length, callback } of queued) this.send(buffer, offset, length, 0, '', callback);
  }

  private failQueued(error: Error): void {
    const queued = this.queue;
    this.queue = [];
    for (const { callback } of queued) callback?.(error);
  }

  private onSocketError(err: Error): void {
    // On a connected socket, ICMP port/host unreachable arrives here (ECONNREFUSED, EHOSTUNREACH, …).
    this.owner.failAll(err);
  }

  private onDatagram(buffer: Buffer, rinfo: dgram.RemoteInfo): void {
    // The kernel already filters a connected socket; this only guards against a platform that does not.
    if (rinfo.port !== this.agent.port) {
      this.stats.dropped.wrongSource++;
      return;
    }
    if (this.wireVersion !== WIRE_VERSIONS['3'] && this.deliverDecoded(buffer)) return;
    const header = peekReply(buffer);
    if (!header) {
      this.stats.dropped.notSnmp++;
      return;
    }
    if (header.version !== this.wireVersion) {
      this.stats.dropped.wrongVersion++;
      return;
    }
    if (header.framingError !== undefined) {
      if (header.requestId !== undefined) this.owner.rejectRequest(header.requestId, { kind: 'badFraming', detail: header.framingError });
      return;
    }
    if (header.pduTag !== undefined && header.pduTag !== PDU_TAGS.response) {
      if (header.requestId !== undefined) this.owner.rejectRequest(header.requestId, { kind: 'unexpectedPdu', pduTag: header.pduTag });
      return;
    }
    const { requestId } = header;
    const pending = requestId === undefined ? undefined : this.owner.pendingRequest(requestId);
    this.current = { header, buffer };
    try {
      this.libraryOnMessage?.(buffer);
    } catch (error) {
      if (requestId !== undefined) this.owner.rejectRequest(requestId, { kind: 'libraryFault', error }, pending);
    } finally {
      this.current = undefined;
    }
  }

  /** True when the datagram was a well-formed Response of this version and the session settled its request with it. */
  private deliverDecoded(buffer: Buffer): boolean {
    let response: DecodedResponse;
    try {
      response = decodeResponse(buffer);
    } catch {
      return false; // a ResponseDecodeError: the library decides, as before
    }
    if (response.version !== this.wireVersion) return false;
    const pending = this.owner.pendingRequest(response.requestId);
    if (pending === undefined) return false;
    try {
      if (!this.owner.deliverResponse(response)) return false;
    } catch (error) {
      this.owner.rejectRequest(response.requestId, { kind: 'libraryFault', error }, pending);
    }
    this.stats.decoded++;
    return true;
  }
}
