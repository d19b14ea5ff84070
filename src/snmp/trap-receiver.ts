import dgram from 'node:dgram';
import { isIP } from 'node:net';
import snmp from 'net-snmp';
import type { Config } from '../config.ts';
import type { TrapBus, TrapPduType, TrapVersion } from '../events/trap-event.ts';
import type { Logger } from '../logger.ts';
import { sizeReceiveBuffer } from '../net/receive-buffer.ts';
import { desFailureReason, ensureDesSupport } from './des.ts';
import { peekSnmpVersion, peekV3Security, scopedPduRequestId, V3_FLAGS, WIRE_VERSIONS, type V3SecurityHeader } from './reply.ts';
import type { MibResolver } from './mib.ts';
import { decodeTrap, ResponseDecodeError, type DecodedTrap } from './response-decode.ts';
import { notificationToEvent, trapFingerprint, trapNotification, type LibraryNotification } from './trap-decode.ts';
import { TrapOidNames } from './trap-names.ts';
import { boundLibraryKeyCache, toLibraryUser, type LibraryUser } from './usm.ts';
import { encodeUsmReport, USM_STATS_NOT_IN_TIME_WINDOWS } from './usm-report.ts';
import { UsmTimeWindows } from './usm-window.ts';

export type TrapsConfig = Config['traps'];

export const DROP_REASONS = [
  /** Not decodable as an SNMP message (garbage, truncated, bad BER). */
  'malformed',
  /** v1/v2c community not in TRAP_COMMUNITIES. */
  'unknownCommunity',
  /** v3 user not configured. */
  'unknownUser',
  /** v3 authentication or decryption failed, or the security level is lower than the user's. */
  'authFailed',
  /** A well-formed SNMP message that is not a notification (get, set, response…). */
  'unsupportedPdu',
  /** A notification without sysUpTime.0/snmpTrapOID.0, or a v1 trap with an invalid generic-trap. */
  'invalidNotification',
  /** A notification whose event JSON is larger than TRAP_MAX_EVENT_BYTES. */
  'tooLarge',
  /** An authenticated v3 message outside the time window (RFC 3414 §3.2 step 7): from an older boot, or more than 150 s old (a replay). */
  'notInTimeWindow',
  /** An exact copy (same engine, msgID and digest) of an authenticated v3 message accepted within the time window. */
  'duplicate',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface TrapReceiverStats {
  received: Record<TrapVersion, number>;
  receivedByPduType: Record<TrapPduType, number>;
  dropped: Record<DropReason, number>;
  /** v3 messages the library answered itself with a Report: engine discovery, or an unknown user / too low a security level on a reportable message (an inform). */
  reportsSent: number;
  socketErrors: number;
  /** Datagrams by decoder: netprobe's own (v1/v2c Trap and SNMPv2-Trap PDUs, strictly well formed) or the library's (all others it is handed). */
  decodedBy: Record<'netprobe' | 'library', number>;
}

/** net-snmp's Receiver as used here (the library's typings declare it `any`). */
interface LibraryReceiver {
  close(callback?: () => void): void;
  /** The receiver's own SNMP engine: the authoritative one for informs (senders discover it), named in its Reports. */
  engine: { engineID: Buffer; engineBoots: number; engineTime: number };
  getAuthorizer(): { addUser(user: object): void; addCommunity(community: string): void };
}

type LibraryCallback = (error: (Error & { code?: number }) | null, data?: { pdu: LibraryNotification; rinfo: dgram.RemoteInfo }) => void;

/**
 * UDP listener for SNMP traps and informs. net-snmp decodes, authenticates and acknowledges informs;
 * this class owns the socket and turns what the library accepts into events on the bus. v1/v2c traps
 * (the bulk of a flood) are decoded by our own decoder (decodeTrap) and go the same way from there;
 * whatever it refuses goes to the library.
 *
 * The socket is ours, handed to the library through its `dgramModule` option (SocketForLibrary), so
 * that we choose dual-stack IPv6, the receive buffer and an ephemeral port (the library turns port 0
 * into its default), await the bind, and see every datagram first.
 *
 * Communities: the library accepts only listed communities unless `disableAuthorization`, which would
 * also skip v3 authentication. So every datagram goes to a strict receiver (configured users and
 * communities); when no community is configured (accept all), a datagram the strict receiver refused
 * only for its community is handed to a second receiver with authorization disabled, which the library
 * only ever reaches for v1/v2c messages.
 */
export class TrapReceiver {
  private socket: dgram.Socket | undefined;
  private strict: LibraryEndpoint | undefined;
  private open: LibraryEndpoint | undefined;
  private readonly userNames: Set<string>;
  /** TRAP_COMMUNITIES, for v1/v2c traps we decode ourselves (empty: any community). */
  private readonly communities: Set<string>;
  /** The datagram being handed to the library (it calls back synchronously), and what became of it. */
  private current: Current | undefined;
  /** Replay protection for authenticated v3 messages (RFC 3414 §3.2 step 7). */
  private readonly windows = new UsmTimeWindows();
  /** Configured v3 users as the library takes them, for checking an inform's digest before the library answers it. */
  private readonly libraryUsers: Map<string, LibraryUser>;
  /** When our engine's time started (it is ENGINE_TIME_AT_START then, and moves on with our clock). */
  private readonly engineStartedAt = performance.now();
  /** v3 datagrams since the library's key cache was last looked at. */
  private v3Datagrams = 0;
  private readonly counters: TrapReceiverStats = {
    received: { '1': 0, '2c': 0, '3': 0 },
    receivedByPduType: { trap: 0, trapV2: 0, inform: 0 },
    dropped: Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])) as Record<DropReason, number>,
    reportsSent: 0,
    socketErrors: 0,
    decodedBy: { netprobe: 0, library: 0 },
  };

  private readonly config: TrapsConfig;
  private readonly deps: { bus: TrapBus; mib: MibResolver; logger: Logger };
  /** The MIB naming of trap and varbind OIDs, cached. */
  private readonly names: TrapOidNames;
  /** Drops are counted always, and logged at most once per reason and DROP_LOG_INTERVAL_MS: a flood must not flood the log. */
  private readonly dropLog: DropLog;

  constructor(
    config: TrapsConfig,
    deps: { bus: TrapBus; mib: MibResolver; logger: Logger },
  ) {
    this.config = config;
    this.deps = deps;
    this.userNames = new Set(config.users.map((user) => user.name));
    this.communities = new Set(config.communities);
    this.libraryUsers = new Map(config.users.map((user) => [user.name, toLibraryUser(user)]));
    this.dropLog = new DropLog(deps.logger);
    this.names = new TrapOidNames(deps.mib);
  }

  /**
   * Receives on `socket` (see bindTrapSocket), or binds one itself. Resolves with the bound address (port 0 in
   * the config gives an ephemeral port).
   */
  async start(bound?: dgram.Socket): Promise<{ address: string; port: number; family: string }> {
    if (this.socket) throw new Error('trap receiver already started');
    if (this.config.users.some((user) => user.level === 'authPriv' && user.privProtocol === 'des') && ensureDesSupport() === 'unavailable') {
      this.deps.logger.warn({ reason: desFailureReason() }, 'DES privacy is unavailable: v3 notifications from DES users will be dropped (authFailed)');
    }
    const socket = bound ?? (await bindTrapSocket(this.config, this.deps.logger));
    socket.on('error', (err) => {
      this.counters.socketErrors++;
      this.deps.logger.warn({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code } }, 'trap socket error');
    });
    socket.on('message', (buffer, rinfo) => this.onDatagram(buffer, rinfo));
    this.socket = socket;

    const onSendError = (err: Error) => {
      this.counters.socketErrors++;
      this.deps.logger.warn({ err: { message: err.message } }, 'cannot send inform acknowledgement');
    };
    this.strict = createLibraryReceiver(socket, false, this.onStrictResult, onSendError);
    // Our engine has booted once (RFC 3414 §2.2.2; the library leaves it at 0), with a fresh engine ID per process.
    this.strict.receiver.engine.engineBoots = ENGINE_BOOTS;
    const authorizer = this.strict.receiver.getAuthorizer();
    for (const user of this.libraryUsers.values()) authorizer.addUser(user);
    for (const community of this.config.communities) authorizer.addCommunity(community);
    if (this.config.communities.length === 0) {
      this.open = createLibraryReceiver(socket, true, this.onResult, onSendError);
    }
    return this.address()!;
  }

  address(): { address: string; port: number; family: string } | undefined {
    return this.socket?.address();
  }

  /** The socket's receive buffer as granted by the kernel (capped by net.core.rmem_max); a small one drops bursts. */
  receiveBufferBytes(): number | undefined {
    return this.socket?.getRecvBufferSize();
  }

  /** Our SNMP engine ID (hex): the authoritative engine of informs sent to this receiver. */
  engineId(): string | undefined {
    return this.strict?.receiver.engine.engineID.toString('hex');
  }

  get listening(): boolean {
    return this.socket !== undefined;
  }

  /** Counters for the metrics endpoint: notifications received by version and PDU type, datagrams dropped by reason. */
  stats(): TrapReceiverStats {
    return structuredClone(this.counters);
  }

  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    this.strict?.receiver.close();
    this.open?.receiver.close();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private onDatagram(buffer: Buffer, rinfo: dgram.RemoteInfo): void {
    const version = peekSnmpVersion(buffer);
    const v3 = version === WIRE_VERSIONS['3'] ? peekV3Security(buffer) : undefined;
    const current: Current = (this.current = { rinfo, communityRefused: false, handled: false, v3, windowChecked: false, duplicate: false });
    if (version === WIRE_VERSIONS['3'] && ++this.v3Datagrams % KEY_CACHE_CHECK_EVERY === 0) boundLibraryKeyCache();
    try {
      if (v3 && (v3.flags & V3_FLAGS.auth) !== 0 && !this.checkLocalWindow(buffer, v3, current)) return;
      if ((version === WIRE_VERSIONS['1'] || version === WIRE_VERSIONS['2c']) && this.takeTrap(buffer, rinfo)) return;
      this.counters.decodedBy.library++;
      // Accepting every community, a v1/v2c message can only end at the open receiver: going through the
      // strict one first would cost a refusal (an Error with a stack trace) per datagram.
      if (this.open && (version === WIRE_VERSIONS['1'] || version === WIRE_VERSIONS['2c'])) this.open.socket.dispatch(buffer, rinfo);
      else this.strict?.socket.dispatch(buffer, rinfo);
      if (current.communityRefused) {
        if (this.open) this.open.socket.dispatch(buffer, rinfo);
        else this.drop('unknownCommunity', rinfo);
      }
      if (!current.handled) {
        // No callback: the library answered with a Report and nothing else is to be done.
        this.counters.reportsSent++;
        this.deps.logger.debug({ source: { address: unmapIPv4(rinfo.address), port: rinfo.port } }, 'trap datagram answered with a report');
      }
    } catch (err) {
      // The library catches its decoding errors; anything reaching here is a library fault on odd input.
      this.drop('malformed', rinfo);
      this.deps.logger.debug({ err: { message: (err as Error).message } }, 'trap datagram raised an error');
    } finally {
      this.current = undefined;
    }
  }

  /**
   * A v1 Trap or v2c SNMPv2-Trap decoded by our own decoder (decodeTrap, cheaper than the library's Message,
   * PDU and BER reader objects), authorized and handed to onResult exactly as the library's receivers would
   * have done (the same pdu object: their includeAuthentication adds a non-empty community). False when the
   * decoder leaves the bytes to the library: informs (acknowledged by the library), other PDUs, anything not
   * strictly well formed.
   */
  private takeTrap(buffer: Buffer, rinfo: dgram.RemoteInfo): boolean {
    let decoded: DecodedTrap;
    try {
      decoded = decodeTrap(buffer);
    } catch (err) {
      if (err instanceof ResponseDecodeError) return false;
      throw err;
    }
    this.counters.decodedBy.netprobe++;
    const { community } = decoded;
    // The strict receiver's authorizer: a listed community, and never the empty one (the library finds it falsy).
    if (!this.open && (community === '' || !this.communities.has(community))) {
      this.drop('unknownCommunity', rinfo);
      return true;
    }
    this.onResult(null, { pdu: trapNotification(decoded), rinfo });
    return true;
  }

  private onStrictResult: LibraryCallback = (error, data) => {
    if (error && this.current && isCommunityRefusal(error)) {
      this.current.communityRefused = true;
      return;
    }
    this.onResult(error, data);
  };

  private onResult: LibraryCallback = (error, data) => {
    if (this.current) this.current.handled = true;
    if (error) {
      this.drop(classifyLibraryError(error), this.current?.rinfo);
      return;
    }
    if (!data) return;
    const { pdu, rinfo } = data;
    if (pdu.user !== undefined && !this.userNames.has(pdu.user)) {
      // The library lets an empty user name through as noAuthNoPriv; only configured users are accepted.
      this.drop('unknownUser', rinfo);
      return;
    }
    const refusal = this.remoteWindowRefusal();
    if (refusal) {
      this.drop(refusal, rinfo);
      return;
    }
    const decoded = notificationToEvent(pdu, {
      mib: this.names,
      source: { address: unmapIPv4(rinfo.address), port: rinfo.port },
      receivedAt: new Date(),
      includeCommunity: this.config.includeCommunity,
    });
    if (!decoded.ok) {
      this.drop('invalidNotification', rinfo);
      return;
    }
    // Informs were acknowledged already, by the library, whatever becomes of the event from here on.
    const fingerprint = this.config.dedupMs > 0 ? trapFingerprint(decoded.event) : undefined;
    const outcome = this.deps.bus.publish(decoded.event, { fingerprint });
    if (outcome.status === 'dropped' && outcome.reason === 'tooLarge') {
      this.drop('tooLarge', rinfo);
      return;
    }
    // Suppressed duplicates and events the bus could not keep (backlog full) are counted by the bus.
    this.counters.received[decoded.event.version]++;
    this.counters.receivedByPduType[decoded.event.pduType]++;
  };

  /**
   * RFC 3414 §3.2 step 7a, for an authenticated message to our own engine (an inform, once its sender
   * discovered our engine ID), before the library answers it: the digest is checked first (the library's
   * own check), then the time against our engine's. Outside the window: a notInTimeWindow Report instead
   * of the Response, no event (false). An exact copy is answered again, but gives no second event.
   * Keeps the library's engine time moving, so that its discovery Reports tell senders our real time.
   */
  private checkLocalWindow(buffer: Buffer, v3: V3SecurityHeader, current: Current): boolean {
    const engine = this.strict?.receiver.engine;
    if (!engine) return true;
    engine.engineTime = ENGINE_TIME_AT_START + Math.floor((performance.now() - this.engineStartedAt) / 1000);
    if (!v3.engineId.equals(engine.engineID)) return true;
    const user = this.libraryUsers.get(v3.userName);
    // Unknown users, users without authentication and wrong digests are the library's to refuse.
    if (!user?.authProtocol || !user.authKey) return true;
    if (!snmp.Authentication.isAuthentic(buffer, user.authProtocol, user.authKey, v3.engineId, v3.digest)) return true;
    current.windowChecked = true;
    const ours = { boots: engine.engineBoots, time: engine.engineTime };
    const verdict = this.windows.checkLocal(v3.engineId, { boots: v3.engineBoots, time: v3.engineTime }, ours, v3.msgId, v3.digest);
    if (verdict === 'duplicate') current.duplicate = true;
    if (verdict !== 'notInTimeWindow') return true;
    this.drop('notInTimeWindow', current.rinfo);
    const report = encodeUsmReport({
      msgId: v3.msgId,
      requestId: requestIdOf(v3, user) ?? 0,
      engineId: engine.engineID,
      engineBoots: ours.boots,
      engineTime: ours.time,
      oid: USM_STATS_NOT_IN_TIME_WINDOWS,
      count: this.counters.dropped.notInTimeWindow,
    });
    this.counters.reportsSent++;
    this.socket?.send(report, current.rinfo.port, current.rinfo.address, (err) => {
      if (err) this.counters.socketErrors++;
    });
    return false;
  }

  /**
   * RFC 3414 §3.2 step 7b, for an authenticated message the library accepted (its digest verified), from
   * an engine other than ours (a trap): why it must be dropped, if it must.
   */
  private remoteWindowRefusal(): DropReason | undefined {
    const current = this.current;
    if (!current?.v3 || (current.v3.flags & V3_FLAGS.auth) === 0) return undefined;
    if (current.windowChecked) return current.duplicate ? 'duplicate' : undefined;
    const { engineId, engineBoots, engineTime, msgId, digest } = current.v3;
    const verdict = this.windows.checkRemote(engineId, { boots: engineBoots, time: engineTime }, msgId, digest);
    return verdict === 'accept' ? undefined : verdict;
  }

  private drop(reason: DropReason, rinfo: dgram.RemoteInfo | undefined): void {
    if (this.current) this.current.handled = true;
    this.counters.dropped[reason]++;
    const source = rinfo ? `${unmapIPv4(rinfo.address)}:${rinfo.port}` : 'unknown';
    this.deps.logger.debug({ reason, source }, 'trap dropped'); // every one, at debug level
    this.dropLog.note(reason, source);
  }
}

interface Current {
  rinfo: dgram.RemoteInfo;
  communityRefused: boolean;
  handled: boolean;
  /** The USM header of a v3 message. */
  v3: V3SecurityHeader | undefined;
  /** The time window was checked before the library saw it (an inform to our engine). */
  windowChecked: boolean;
  /** …and it is an exact copy of one accepted within the window: answered, but no second event. */
  duplicate: boolean;
}

/** net-snmp's receiver engine starts with engineTime 10; ours moves on from there. */
const ENGINE_TIME_AT_START = 10;
const ENGINE_BOOTS = 1;
/** How often (in v3 datagrams) the library's key cache is bounded. */
const KEY_CACHE_CHECK_EVERY = 128;

/** The request-id of a v3 message's PDU, decrypting it when it is encrypted (for a Report that answers it). */
function requestIdOf(v3: V3SecurityHeader, user: LibraryUser): number | undefined {
  if ((v3.flags & V3_FLAGS.priv) === 0) return scopedPduRequestId(v3.scopedPdu);
  if (!user.privProtocol || !user.privKey) return undefined;
  try {
    const engine = { engineID: v3.engineId, engineBoots: v3.engineBoots, engineTime: v3.engineTime };
    // Exported by the library, missing from its typings.
    const { decryptPdu } = snmp.Encryption as unknown as { decryptPdu: (...args: unknown[]) => Buffer };
    const plain = decryptPdu(user.privProtocol, v3.scopedPdu, v3.privParams, user.privKey, user.authProtocol, engine);
    return scopedPduRequestId(plain);
  } catch {
    return undefined;
  }
}

/** '::ffff:192.0.2.1' (an IPv4 sender on a dual-stack socket) → '192.0.2.1'. */
export function unmapIPv4(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1] : address;
}

function isCommunityRefusal(error: Error): boolean {
  return error.name === 'RequestFailedError' && /^Local community not found/.test(error.message);
}

/** Maps the library's error callbacks (it has no error codes for most of them) to drop reasons. */
function classifyLibraryError(error: Error & { code?: number }): DropReason {
  if (error.name === 'RequestFailedError') {
    if (/^Local community not found/.test(error.message)) return 'unknownCommunity';
    if (/^Local user not found/.test(error.message)) return 'unknownUser';
    return 'authFailed';
  }
  if (error.name === 'ResponseInvalidError') {
    const code = error.code;
    if (code === snmp.ResponseInvalidCode.ECouldNotDecrypt || code === snmp.ResponseInvalidCode.EAuthFailure) return 'authFailed';
    return 'malformed';
  }
  if (error.name === 'RequestInvalidError') return 'unsupportedPdu';
  return 'malformed';
}

/**
 * The trap port's socket: dual-stack on `::` (IPv4 only where IPv6 is unavailable), with a receive buffer of
 * TRAP_RECEIVE_BUFFER_BYTES, large enough to hold a burst of traps while the event loop is busy (the kernel
 * drops what does not fit). Beyond net.core.rmem_max it needs CAP_NET_ADMIN (SO_RCVBUFFORCE); without it,
 * the buffer stays at the cap and a warning says so.
 */
export async function bindTrapSocket(
  { host, port, reusePort, receiveBufferBytes }: Pick<TrapsConfig, 'host' | 'port' | 'reusePort' | 'receiveBufferBytes'>,
  logger: Logger,
): Promise<dgram.Socket> {
  const family = isIP(host) === 6 ? 'udp6' : 'udp4';
  let socket: dgram.Socket;
  try {
    socket = await bindOnce(family, host, port, reusePort);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (host !== '::' || (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL')) throw err;
    logger.warn({ code }, 'IPv6 is not available; listening for traps on IPv4 only');
    socket = await bindOnce('udp4', '0.0.0.0', port, reusePort);
  }
  const buffer = sizeReceiveBuffer(socket, receiveBufferBytes);
  if (buffer.forceError !== undefined) {
    logger.warn(
      { askedBytes: receiveBufferBytes, grantedBytes: buffer.grantedBytes, error: buffer.forceError },
      'the trap socket\'s receive buffer is smaller than TRAP_RECEIVE_BUFFER_BYTES: net.core.rmem_max caps it, and going beyond needs CAP_NET_ADMIN; bursts that do not fit are dropped by the kernel',
    );
  }
  return socket;
}

function bindOnce(type: 'udp4' | 'udp6', host: string, port: number, reusePort: boolean): Promise<dgram.Socket> {
  // ipv6Only false: '::' also receives IPv4 datagrams, as ::ffff:a.b.c.d.
  const socket = dgram.createSocket({ type, ipv6Only: false, reusePort });
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

interface LibraryEndpoint {
  receiver: LibraryReceiver;
  socket: SocketForLibrary;
}

function createLibraryReceiver(
  socket: dgram.Socket,
  disableAuthorization: boolean,
  callback: LibraryCallback,
  onSendError: (err: Error) => void,
): LibraryEndpoint {
  let librarySocket: SocketForLibrary | undefined;
  const options = {
    port: 1, // unused: the library binds SocketForLibrary, whose socket is already bound
    disableAuthorization,
    includeAuthentication: true,
    dgramModule: { createSocket: () => (librarySocket = new SocketForLibrary(socket, onSendError)) },
  };
  const receiver = snmp.createReceiver(options, callback) as LibraryReceiver;
  if (!librarySocket) throw new Error('net-snmp did not create its receiver socket');
  return { receiver, socket: librarySocket };
}

/**
 * The part of a dgram socket net-snmp's Listener uses, backed by our already-bound socket. bind() and
 * close() are ours to do; datagrams reach the library only through dispatch().
 */
class SocketForLibrary {
  private handler: ((buffer: Buffer, rinfo: dgram.RemoteInfo) => void) | undefined;

  private readonly socket: dgram.Socket;
  private readonly onSendError: (err: Error) => void;
  constructor(
    socket: dgram.Socket,
    onSendError: (err: Error) => void,
  ) {
    this.socket = socket;
    this.onSendError = onSendError;
  }

  on(event: string, handler: (...args: never[]) => void): this {
    if (event === 'message') this.handler = handler as unknown as (buffer: Buffer, rinfo: dgram.RemoteInfo) => void;
    return this;
  }

  bind(): void {}

  send(buffer: Buffer, offset: number, length: number, port: number, address: string, callback?: (error: Error | null) => void): void {
    // The library prints send errors to the console; report them to our logger instead.
    this.socket.send(buffer, offset, length, port, address, (error) => {
      if (error) this.onSendError(error);
      callback?.(null);
    });
  }

  address() {
    return this.socket.address();
  }

  close(callback?: () => void): void {
    callback?.();
  }

  dispatch(buffer: Buffer, rinfo: dgram.RemoteInfo): void {
    this.handler?.(buffer, rinfo);
  }
}

const DROP_LOG_INTERVAL_MS = 10_000;

/**
 * Logs dropped datagrams, rate-limited: the first drop of a reason at once, then at most one line per
 * reason and interval, with how many were dropped since and the last source.
 */
class DropLog {
  private readonly pending = new Map<DropReason, { count: number; source: string; loggedAt: number }>();

  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  note(reason: DropReason, source: string): void {
    const now = Date.now();
    const entry = this.pending.get(reason);
    if (entry === undefined || now - entry.loggedAt >= DROP_LOG_INTERVAL_MS) {
      const dropped = (entry?.count ?? 0) + 1;
      this.logger.warn({ reason, source, dropped, sinceMs: entry ? now - entry.loggedAt : 0 }, 'trap datagrams dropped');
      this.pending.set(reason, { count: 0, source, loggedAt: now });
      return;
    }
    entry.count++;
    entry.source = source;
  }
}
