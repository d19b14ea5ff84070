import { hash } from 'node:crypto';
import snmp from 'net-snmp';
import { AdapterError } from '../errors.ts';
import type { SnmpTarget } from './schemas.ts';
import { AgentSocket, type AgentSocketStats, type RejectReason } from './agent-socket.ts';
import { desFailureReason, ensureDesSupport } from './des.ts';
import { badVarbindError, mapSnmpError, rejectionError } from './errors.ts';
import { findImpossibleVarbind, PDU_TAGS, WIRE_VERSIONS } from './reply.ts';
import type { DecodedResponse } from './response-decode.ts';
import { encodeCommunityRequest, type CommunityRequestMessage } from './request-encode.ts';
import { toLibraryUser } from './usm.ts';
import type { WireVarbind } from './varbind.ts';

type Callback<T> = (err: unknown, result?: T) => void;

/** A request net-snmp is waiting on (its Req object). */
interface LibraryRequest {
  responseCb(err: unknown): void;
  /** The request message: a v1/v2c reply must carry its version and community. */
  message: { version: number; community?: string };
  /** Session.prototype.onSimpleGetResponse: error-status handling, then the operation's feedCb. */
  onResponse(req: LibraryRequest, message: LibraryResponseMessage): void;
}

/** What onResponse and the operations' feedCb read of a decoded v1/v2c message (net-snmp's Message). */
interface LibraryResponseMessage {
  version: number;
  community: string;
  pdu: { type: number; id: number; errorStatus: number; errorIndex: number; varbinds: WireVarbind[] };
}

interface LibrarySession {
  get(oids: string[], cb: Callback<WireVarbind[]>): void;
  getNext(oids: string[], cb: Callback<WireVarbind[]>): void;
  getBulk(oids: string[], nonRepeaters: number, maxRepetitions: number, cb: Callback<(WireVarbind | WireVarbind[])[]>): void;
  set(varbinds: WireVarbind[], cb: Callback<WireVarbind[]>): void;
  close(): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  /** Pending requests by request id (msgID for v3). */
  reqs: Record<string, LibraryRequest | undefined>;
  /** Forgets a pending request and clears its retry timer; null when there is none. */
  unregisterRequest(id: number): LibraryRequest | null;
  /** Fails every pending request with this error. */
  cancelRequests(error: Error): void;
  /** Set on a session that forwards for a proxy agent (never here; such a session keeps the library's path). */
  proxy?: unknown;
  /** Session.prototype.send: encodes the request's message (unless it carries its bytes already) and sends it; retries call it again. */
  send(req: { message: CommunityRequestMessage & { buffer?: Buffer } }, noWait?: boolean): unknown;
}

export interface SessionTarget {
  target: SnmpTarget;
  /** The resolved address (never the name: the policy check was made on it). */
  address: string;
  family: 4 | 6;
  /**
   * net-snmp rejects a non-increasing GETNEXT/GETBULK answer when false. Walks set it to true because they
   * check the order themselves, varbind by varbind, so they can keep the good varbinds and report the stop.
   */
  backwardsGetNexts: boolean;
}

/**
 * An SNMP session (one UDP socket, and for v3 the discovered engine ID and time) that several requests may
 * share. Each call takes its own abort signal: an aborted call settles at once as CANCELLED and its answer,
 * if one still comes, is ignored; the session stays usable for the others.
 */
export class SnmpSession {
  private readonly session: LibrarySession;
  private open = true;
  private readonly closeListeners: (() => void)[] = [];
  /** v3: set once a request succeeded, i.e. the agent's engine ID, boots and time are known. */
  private engineKnown = false;
  private discovery?: Promise<void>;

  private socket: AgentSocket | undefined;

  private readonly spec: SessionTarget;
  constructor(spec: SessionTarget) {
    this.spec = spec;
    this.session = createLibrarySession(
      spec,
      (type) => (this.socket = this.createSocket(type)),
      () => this.encodedRequests++,
    );
    // The library emits 'error' when it cannot decode a datagram: fail the request it answers now.
    this.session.on('error', (err) => this.socket?.libraryCouldNotDecode(err));
    this.session.on('close', () => {
      this.open = false;
      for (const listener of this.closeListeners) listener();
    });
  }

  get isOpen(): boolean {
    return this.open;
  }

  private encodedRequests = 0;

  /** Requests whose bytes came from request-encode.ts rather than the library's encoder. */
  get requestsEncoded(): number {
    return this.encodedRequests;
  }

  /** What the session's socket did with the datagrams it received (undefined before the first request). */
  get socketStats(): AgentSocketStats | undefined {
    return this.socket?.stats;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  get(oids: string[], signal?: AbortSignal): Promise<WireVarbind[]> {
    return this.call(oids, signal, (cb) => this.session.get(oids, cb));
  }

  getNext(oids: string[], signal?: AbortSignal): Promise<WireVarbind[]> {
    return this.call(oids, signal, (cb) => this.session.getNext(oids, cb));
  }

  /** Non-repeaters come back as varbinds, repeaters as arrays of varbinds (net-snmp's shape). */
  getBulk(oids: string[], nonRepeaters: number, maxRepetitions: number, signal?: AbortSignal): Promise<(WireVarbind | WireVarbind[])[]> {
    return this.call(oids, signal, (cb) => this.session.getBulk(oids, nonRepeaters, maxRepetitions, cb));
  }

  set(varbinds: WireVarbind[], signal?: AbortSignal): Promise<WireVarbind[]> {
    const oids = varbinds.map((vb) => vb.oid);
    return this.call(oids, signal, (cb) => this.session.set(varbinds, cb));
  }

  private createSocket(type: 'udp4' | 'udp6'): AgentSocket {
    const agent = { address: this.spec.address, port: this.spec.target.port };
    return new AgentSocket(type, agent, WIRE_VERSIONS[this.spec.target.version], {
      pendingRequest: (id) => this.session.reqs[id],
      rejectRequest: (id, reason, pending) => this.rejectRequest(id, reason, pending as LibraryRequest | undefined),
      deliverResponse: (response) => this.deliverResponse(response),
      failAll: (error) => this.session.cancelRequests(error),
    });
  }

  private rejectRequest(id: number, reason: RejectReason, pending: LibraryRequest | undefined): void {
    const request = this.session.unregisterRequest(id) ?? pending;
    request?.responseCb(rejectionError(reason, this.spec.address, this.spec.target.port));
  }

  /**
   * Settles a request with a Response the socket decoded, as net-snmp's Session.prototype.onMsg does for a
   * v1/v2c Response (no security processing or time window in v1/v2c): the request leaves the pending set,
   * then onResponse checks error-status and feeds the varbinds to the operation. A version or community the
   * request did not use, or a proxy session, is left to the library (it reports the mismatch).
   */
  private deliverResponse(response: DecodedResponse): boolean {
    const req = this.session.reqs[response.requestId];
    if (!req || this.session.proxy || req.message.version !== response.version || req.message.community !== response.community) return false;
    this.session.unregisterRequest(response.requestId);
    const { version, community, requestId: id, errorStatus, errorIndex, varbinds } = response;
    // The decoder's varbinds are always possible: the request's callback (called from here) need not check them.
    this.deliveringDecoded = true;
    try {
      req.onResponse(req, { version, community, pdu: { type: PDU_TAGS.response, id, errorStatus, errorIndex, varbinds } });
    } finally {
      this.deliveringDecoded = false;
    }
    return true;
  }

  /** True while deliverResponse hands the library a reply our decoder made (see response-decode.ts). */
  private deliveringDecoded = false;

  close(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.session.close();
    } catch {
      // the socket is already gone
    }
  }

  private call<T>(oids: string[], signal: AbortSignal | undefined, send: (cb: Callback<T>) => void): Promise<T> {
    if (this.spec.target.version !== '3' || this.engineKnown) return this.request(oids, signal, send);
    // Until the v3 engine is discovered, requests go one at a time: a burst of parallel discoveries
    // against a fresh session makes agents drop some of them (seen with snmpd: 2 s stalls at 200 at once).
    const previous = this.discovery;
    const attempt = (async () => {
      if (previous) await previous.catch(() => {});
      return this.request(oids, signal, send);
    })();
    this.discovery = attempt.then(
      () => {
        this.engineKnown = true;
      },
      () => {},
    );
    return attempt;
  }

  private request<T>(oids: string[], signal: AbortSignal | undefined, send: (cb: Callback<T>) => void): Promise<T> {
    const startedAt = performance.now();
    const ctx = () => ({ ...this.spec.target, host: this.spec.address, oids, signal, startedAt });
    const cancelled = () => new AdapterError('CANCELLED', 'snmp', 'the request was cancelled by the client');
    if (signal?.aborted) return Promise.reject(cancelled());
    if (!this.open) return Promise.reject(new AdapterError('UNAVAILABLE', 'snmp', 'the SNMP session was closed'));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onAbort = () => settle(() => reject(cancelled()));
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        action();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        send((err, result) =>
          settle(() => {
            if (err) return reject(mapSnmpError(err, ctx()));
            const impossible = Array.isArray(result) && !this.deliveringDecoded ? findImpossibleVarbind(result) : undefined;
            if (impossible) return reject(badVarbindError(impossible, this.spec.address, this.spec.target.port));
            resolve(result as T);
          }),
        );
      } catch (err) {
        settle(() => reject(mapSnmpError(err, ctx())));
      }
    });
  }
}

export interface Lease {
  session: SnmpSession;
  /** Gives the session back. `healthy: false` retires it (a v3 engine that rebooted, a dead socket…). */
  release(healthy: boolean): void;
}

interface PoolEntry {
  key: string;
  session: SnmpSession;
  leases: number;
  retired: boolean;
  idleTimer?: NodeJS.Timeout;
}

export interface SessionPoolOptions {
  /** Close a session after this long without use. */
  idleMs: number;
  /** Upper bound on pooled sessions (each holds a UDP socket); beyond it, sessions are one-off. */
  maxSessions: number;
}

/**
 * Sessions pooled per target and credentials, with idle eviction. Reusing a session saves a socket per
 * request and, for v3, the engine discovery round trip: about 3× the throughput against snmpd on loopback.
 * Credentials are part of the key (hashed), so two callers share a session only if they present the very
 * same secrets.
 */
export class SessionPool {
  private readonly entries = new Map<string, PoolEntry>();

  private readonly options: SessionPoolOptions;
  constructor(options: SessionPoolOptions) {
    this.options = options;
  }

  get size(): number {
    return this.entries.size;
  }

  acquire(spec: SessionTarget): Lease {
    const key = poolKey(spec);
    let entry = this.entries.get(key);
    if (entry && !entry.session.isOpen) {
      this.entries.delete(key);
      entry = undefined;
    }
    if (!entry) {
      if (this.entries.size >= this.options.maxSessions && !this.evictOneIdle()) return oneOffLease(spec);
      entry = this.create(key, spec);
    }
    clearTimeout(entry.idleTimer);
    entry.leases++;
    const leased = entry;
    let released = false;
    return {
      session: leased.session,
      release: (healthy) => {
        if (released) return;
        released = true;
        this.release(leased, healthy);
      },
    };
  }

  closeAll(): void {
    for (const entry of this.entries.values()) {
      clearTimeout(entry.idleTimer);
      entry.session.close();
    }
    this.entries.clear();
  }

  private create(key: string, spec: SessionTarget): PoolEntry {
    const entry: PoolEntry = { key, session: new SnmpSession(spec), leases: 0, retired: false };
    entry.session.onClose(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    return entry;
  }

  private release(entry: PoolEntry, healthy: boolean): void {
    entry.leases--;
    if (!healthy && !entry.retired) {
      entry.retired = true;
      if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    }
    if (entry.leases > 0) return;
    if (entry.retired || !entry.session.isOpen) {
      entry.session.close();
      return;
    }
    entry.idleTimer = setTimeout(() => {
      if (entry.leases > 0) return;
      if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
      entry.session.close();
    }, this.options.idleMs);
    entry.idleTimer.unref();
  }

  private evictOneIdle(): boolean {
    for (const entry of this.entries.values()) {
      if (entry.leases === 0) {
        clearTimeout(entry.idleTimer);
        this.entries.delete(entry.key);
        entry.session.close();
        return true;
      }
    }
    return false;
  }
}

function oneOffLease(spec: SessionTarget): Lease {
  const session = new SnmpSession(spec);
  return { session, release: () => session.close() };
}

/** A digest, so that the pool's map does not hold the secrets as plain keys. */
function poolKey(spec: SessionTarget): string {
  const { target, address, family, backwardsGetNexts } = spec;
  const material = [address, family, target.port, target.version, target.timeoutMs, target.retries, backwardsGetNexts];
  if (target.version === '3') material.push(target.context, JSON.stringify(target.user ?? null));
  else material.push(target.community);
  return hash('sha256', JSON.stringify(material), 'base64url');
}

/**
 * Gives each v1/v2c request its bytes from request-encode.ts before the library sends it: the library's
 * Message returns bytes it already carries instead of encoding them (Message.prototype.toBufferCommunity).
 * What the encoder leaves (a set, an unusual OID) the library encodes as before.
 */
function withRequestEncoder(session: LibrarySession, onEncoded: () => void): LibrarySession {
  const librarySend = session.send;
  session.send = function (req, noWait) {
    if (req.message.buffer === undefined) {
      req.message.buffer = encodeCommunityRequest(req.message);
      if (req.message.buffer !== undefined) onEncoded();
    }
    return librarySend.call(this, req, noWait);
  };
  return session;
}

function createLibrarySession(spec: SessionTarget, createSocket: (type: 'udp4' | 'udp6') => AgentSocket, onEncoded: () => void): LibrarySession {
  const { target } = spec;
  const common = {
    dgramModule: { createSocket },
    port: target.port,
    transport: spec.family === 6 ? 'udp6' : 'udp4',
    timeout: target.timeoutMs,
    retries: target.retries,
    idBitsSize: 32,
    backwardsGetNexts: spec.backwardsGetNexts,
  } as const;
  if (target.version !== '3') {
    const version = target.version === '1' ? snmp.Version1 : snmp.Version2c;
    return withRequestEncoder(snmp.createSession(spec.address, target.community, { ...common, version }) as unknown as LibrarySession, onEncoded);
  }
  const user = target.user;
  if (!user) throw new AdapterError('INVALID_INPUT', 'snmp', 'user is required for version 3');
  // Loaded on the first DES session only, so processes that never speak DES keep OpenSSL's defaults.
  if (user.level === 'authPriv' && user.privProtocol === 'des' && ensureDesSupport() === 'unavailable') {
    throw new AdapterError('UNAVAILABLE', 'snmp', `DES privacy is not available in this runtime (${desFailureReason()}); run node with --openssl-legacy-provider`);
  }
  return snmp.createV3Session(spec.address, toLibraryUser(user) as never, { ...common, context: target.context } as never) as unknown as LibrarySession;
}
