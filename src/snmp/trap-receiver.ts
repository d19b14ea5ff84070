import dgram from 'node:dgram';
import { isIP } from 'node:net';
import snmp from 'net-snmp';
import type { Config } from '../config.ts';
import type { TrapBus, TrapPduType, TrapVersion } from '../events/trap-event.ts';
import type { Logger } from '../logger.ts';
import { desFailureReason, ensureDesSupport } from './des.ts';
import { peekSnmpVersion, WIRE_VERSIONS } from './reply.ts';
import type { MibResolver } from './mib.ts';
import { notificationToEvent, trapFingerprint, type LibraryNotification } from './trap-decode.ts';
import { toLibraryUser } from './usm.ts';

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
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface TrapReceiverStats {
  received: Record<TrapVersion, number>;
  receivedByPduType: Record<TrapPduType, number>;
  dropped: Record<DropReason, number>;
  /** v3 messages the library answered itself with a Report: engine discovery, or an unknown user / too low a security level on a reportable message (an inform). */
  reportsSent: number;
  socketErrors: number;
}

/** Large enough to absorb a burst of traps while the event loop is busy; the kernel caps it at net.core.rmem_max. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** net-snmp's Receiver as used here (the library's typings declare it `any`). */
interface LibraryReceiver {
  close(callback?: () => void): void;
  getAuthorizer(): { addUser(user: object): void; addCommunity(community: string): void };
}

type LibraryCallback = (error: (Error & { code?: number }) | null, data?: { pdu: LibraryNotification; rinfo: dgram.RemoteInfo }) => void;

/**
 * UDP listener for SNMP traps and informs. net-snmp decodes, authenticates and acknowledges informs;
 * this class owns the socket and turns what the library accepts into events on the bus.
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
  /** The datagram being handed to the library (it calls back synchronously), and what became of it. */
  private current: { rinfo: dgram.RemoteInfo; communityRefused: boolean; handled: boolean } | undefined;
  private readonly counters: TrapReceiverStats = {
    received: { '1': 0, '2c': 0, '3': 0 },
    receivedByPduType: { trap: 0, trapV2: 0, inform: 0 },
    dropped: Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])) as Record<DropReason, number>,
    reportsSent: 0,
    socketErrors: 0,
  };

  /** Drops are counted always, and logged at most once per reason and DROP_LOG_INTERVAL_MS: a flood must not flood the log. */
  private readonly dropLog: DropLog;

  constructor(
    private readonly config: TrapsConfig,
    private readonly deps: { bus: TrapBus; mib: MibResolver; logger: Logger },
  ) {
    this.userNames = new Set(config.users.map((user) => user.name));
    this.dropLog = new DropLog(deps.logger);
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
    const authorizer = this.strict.receiver.getAuthorizer();
    for (const user of this.config.users) authorizer.addUser(toLibraryUser(user));
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
    const current = (this.current = { rinfo, communityRefused: false, handled: false });
    try {
      // Accepting every community, a v1/v2c message can only end at the open receiver: going through the
      // strict one first would cost a refusal (an Error with a stack trace) per datagram.
      const version = this.open ? peekSnmpVersion(buffer) : undefined;
      if (version === WIRE_VERSIONS['1'] || version === WIRE_VERSIONS['2c']) this.open!.socket.dispatch(buffer, rinfo);
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
    const decoded = notificationToEvent(pdu, {
      mib: this.deps.mib,
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

  private drop(reason: DropReason, rinfo: dgram.RemoteInfo | undefined): void {
    if (this.current) this.current.handled = true;
    this.counters.dropped[reason]++;
    const source = rinfo ? `${unmapIPv4(rinfo.address)}:${rinfo.port}` : 'unknown';
    this.deps.logger.debug({ reason, source }, 'trap dropped'); // every one, at debug level
    this.dropLog.note(reason, source);
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

/** The trap port's socket: dual-stack on `::` (IPv4 only where IPv6 is unavailable), with a large receive buffer. */
export async function bindTrapSocket({ host, port }: Pick<TrapsConfig, 'host' | 'port'>, logger: Logger): Promise<dgram.Socket> {
  const family = isIP(host) === 6 ? 'udp6' : 'udp4';
  try {
    return await bindOnce(family, host, port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (host !== '::' || (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL')) throw err;
    logger.warn({ code }, 'IPv6 is not available; listening for traps on IPv4 only');
    return bindOnce('udp4', '0.0.0.0', port);
  }
}

function bindOnce(type: 'udp4' | 'udp6', host: string, port: number): Promise<dgram.Socket> {
  // ipv6Only false: '::' also receives IPv4 datagrams, as ::ffff:a.b.c.d.
  const socket = dgram.createSocket({ type, ipv6Only: false, recvBufferSize: RECEIVE_BUFFER_BYTES });
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

  constructor(
    private readonly socket: dgram.Socket,
    private readonly onSendError: (err: Error) => void,
  ) {}

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

  constructor(private readonly logger: Logger) {}

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
