import { randomBytes, randomInt } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { readdirSync } from 'node:fs';
import { AdapterError } from '../errors.ts';
import type { TargetResolver } from '../net/resolve.ts';
import { DeviceSocketError, openDeviceSocket } from './device-socket.ts';
import type { DhcpMetrics } from './metrics.ts';
import type { DhcpDiscoverInput, DhcpDiscoverResult, DhcpReply } from './schemas.ts';
import {
  BOOTREPLY,
  BOOTREQUEST,
  BROADCAST_FLAG,
  MESSAGE_TYPE_CODES,
  OPTION,
  decodeMessage,
  decodeOptions,
  encodeMessage,
  encodeRelayAgentInformation,
  ipToBytes,
  macFromBytes,
  macToBytes,
  messageTypeOf,
  serverIdOf,
  type DhcpMessage,
  type OptionField,
} from './packet.ts';
import { elapsedMs, roundMs } from '../time.ts';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
/** dnsmasq pings an address before its first offer to a new client and offers about 3 s later: wait past that. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** Options a typical client asks for; the server adds lease time, server id, T1 and T2 anyway. */
export const DEFAULT_REQUESTED_OPTIONS: number[] = [
  OPTION.subnetMask,
  OPTION.timeOffset,
  OPTION.router,
  OPTION.dnsServers,
  OPTION.hostName,
  OPTION.domainName,
  OPTION.interfaceMtu,
  OPTION.broadcastAddress,
  OPTION.ntpServers,
  OPTION.vendorSpecific,
  OPTION.netbiosNameServers,
  OPTION.tftpServerName,
  OPTION.bootfileName,
  OPTION.domainSearch,
  OPTION.classlessStaticRoutes,
  OPTION.tftpServerAddresses,
  OPTION.wpadUrl,
];
/** A segment with more servers than this is reported as such; the rest are ignored (bounded memory). */
const MAX_OFFERS = 64;

export interface DhcpClient {
  discover(input: DhcpDiscoverInput, signal?: AbortSignal): Promise<DhcpDiscoverResult>;
}

export interface DhcpClientConfig {
  interface?: string;
  mac?: string;
}

/** Hook for tests and captures: every datagram received on the probe socket, before any filtering. */
export type RawPacketListener = (packet: Buffer, from: RemoteInfo) => void;

export interface DhcpClientOptions {
  /** Applies the target policy to the relay-mode server before any packet is sent. */
  resolver: Pick<TargetResolver, 'resolve'>;
  metrics: DhcpMetrics;
  /** Hook for tests and captures. */
  onRawPacket?: RawPacketListener;
}

export function createDhcpClient(config: DhcpClientConfig, { resolver, metrics, onRawPacket }: DhcpClientOptions): DhcpClient {
  const relayLocks = new KeyedLock();
  return {
    async discover(input, signal) {
      try {
        const plan = await planProbe(input, config, resolver);
        const run = () => runProbe(plan, signal, onRawPacket);
        // Two relay probes cannot share <relayAddress>:67 (unicast replies reach one socket): take turns.
        const result = await (plan.mode === 'relay' ? relayLocks.run(plan.relayAddress, run) : run());
        metrics.recordResult(result);
        return result;
      } catch (err) {
        metrics.recordFailure(input.mode, err);
        throw err;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Planning: validate and resolve everything before a socket is opened.

type Plan = {
  xid: number;
  chaddr: Buffer;
  timeoutMs: number;
  input: DhcpDiscoverInput;
  baseOptions: OptionField[];
  extraOptions: OptionField[];
  relayAgentInfo?: Buffer;
} & ({ mode: 'broadcast'; interface: string } | { mode: 'relay'; server: string; relayAddress: string });

async function planProbe(input: DhcpDiscoverInput, config: DhcpClientConfig, resolver: Pick<TargetResolver, 'resolve'>): Promise<Plan> {
  const chaddr = macToBytes(input.mac ?? config.mac ?? randomLocalMac());
  const common = {
    xid: randomInt(0, 2 ** 32),
    chaddr,
    timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    input,
    baseOptions: baseOptions(input, chaddr),
    extraOptions: (input.extraOptions ?? []).map((o) => ({ code: o.code, data: Buffer.from(o.hex, 'hex') })),
  };
  if ((input.mode ?? 'broadcast') === 'broadcast') {
    return { ...common, mode: 'broadcast', interface: checkInterface(input.interface ?? config.interface) };
  }
  if (!input.server) throw new AdapterError('INVALID_INPUT', 'dhcp', 'relay mode needs `server`, the DHCP server to relay to');
  const server = (await resolver.resolve(input.server, { subsystem: 'dhcp', family: 4, port: DHCP_SERVER_PORT })).address;
  const relayAddress = input.relayAddress ?? (await localAddressToward(server));
  const relayAgentInfo =
    input.circuitId !== undefined || input.remoteId !== undefined
      ? encodeRelayAgentInformation(textBytes(input.circuitId), textBytes(input.remoteId))
      : undefined;
  return { ...common, mode: 'relay', server, relayAddress, relayAgentInfo };
}

function baseOptions(input: DhcpDiscoverInput, chaddr: Buffer): OptionField[] {
  const options: OptionField[] = [{ code: OPTION.clientId, data: clientIdBytes(input.clientId, chaddr) }];
  if (input.hostname) options.push({ code: OPTION.hostName, data: Buffer.from(input.hostname, 'utf8') });
  if (input.vendorClass) options.push({ code: OPTION.vendorClassId, data: Buffer.from(input.vendorClass, 'utf8') });
  options.push({ code: OPTION.parameterRequestList, data: Buffer.from(input.requestedOptions ?? DEFAULT_REQUESTED_OPTIONS) });
  options.push({ code: OPTION.maxMessageSize, data: u16(1500) });
  return options;
}

function clientIdBytes(clientId: string | undefined, chaddr: Buffer): Buffer {
  if (clientId === undefined) return Buffer.concat([Buffer.from([1]), chaddr]);
  if (/^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(clientId)) return macToBytes(clientId);
  return Buffer.concat([Buffer.from([0]), Buffer.from(clientId, 'utf8')]);
}

/** Interfaces without an address are not in os.networkInterfaces(), so ask sysfs. */
export function listInterfaces(): string[] {
  try {
    return readdirSync('/sys/class/net').sort();
  } catch {
    return [];
  }
}

function checkInterface(name: string | undefined): string {
  const interfaces = listInterfaces();
  if (!name) {
    throw new AdapterError(
      'INVALID_INPUT',
      'dhcp',
      `broadcast mode needs \`interface\` (none given and DHCP_INTERFACE is not set); interfaces: ${interfaces.join(', ')}`,
      { interfaces },
    );
  }
  if (!interfaces.includes(name)) {
    throw new AdapterError('INVALID_INPUT', 'dhcp', `no interface named ${name}; interfaces: ${interfaces.join(', ')}`, { interfaces });
  }
  return name;
}

/** The source address the kernel would pick toward `server`: a connected UDP socket sends nothing. */
async function localAddressToward(server: string): Promise<string> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(DHCP_SERVER_PORT, server, () => resolve());
    });
    return socket.address().address;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new AdapterError('UNREACHABLE', 'dhcp', `no route to DHCP server ${server} (${code}); give relayAddress explicitly`);
  } finally {
    socket.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Running: open the transport, DISCOVER, collect, then optionally REQUEST and RELEASE.

interface Transport {
  send(packet: Buffer): Promise<void>;
  close(): void;
}

async function runProbe(plan: Plan, signal: AbortSignal | undefined, onRawPacket?: RawPacketListener): Promise<DhcpDiscoverResult> {
  const started = performance.now();
  const inbox = new ReplyInbox(plan, onRawPacket);
  const transport = await openTransport(plan, inbox);
  try {
    const result = newResult(plan);
    const discoverSent = performance.now();
    await transport.send(buildMessage(plan, 'DISCOVER'));
    await inbox.collect(plan.timeoutMs, signal, (reply) => {
      if (messageTypeOf(reply.message) !== MESSAGE_TYPE_CODES.OFFER || result.offers.length >= MAX_OFFERS) return false;
      result.offers.push(toReply(reply, discoverSent));
      return false;
    });
    result.malformedReplies = inbox.malformed;
    summarizeServers(result, plan.input.expectedServers);

    const chosen = chooseOffer(result.offers, plan.input.preferServer);
    if (plan.input.request && chosen) {
      await requestLease(plan, transport, inbox, chosen, result, signal);
    }
    result.durationMs = elapsedMs(started);
    return result;
  } finally {
    transport.close();
  }
}

async function requestLease(
  plan: Plan,
  transport: Transport,
  inbox: ReplyInbox,
  offer: DhcpReply & { serverId: string },
  result: DhcpDiscoverResult,
  signal: AbortSignal | undefined,
): Promise<void> {
  result.requested = { serverId: offer.serverId, address: offer.yiaddr };
  const requestSent = performance.now();
  await transport.send(buildMessage(plan, 'REQUEST', { requestedAddress: offer.yiaddr, serverId: offer.serverId }));
  await inbox.collect(plan.timeoutMs, signal, (reply) => {
    const type = messageTypeOf(reply.message);
    if (serverIdOf(reply.message) !== offer.serverId) return false;
    if (type === MESSAGE_TYPE_CODES.ACK) result.ack = toReply(reply, requestSent);
    else if (type === MESSAGE_TYPE_CODES.NAK) result.nak = toReply(reply, requestSent);
    else return false;
    return true;
  });
  result.malformedReplies = inbox.malformed;
  if (!result.ack && !result.nak) {
    result.requestTimedOut = true;
    return;
  }
  if (result.ack && plan.input.release !== false) {
    await transport.send(buildMessage(plan, 'RELEASE', { leasedAddress: result.ack.yiaddr, serverId: offer.serverId }));
    result.released = true;
  }
}

function chooseOffer(offers: DhcpReply[], preferServer: string | undefined): (DhcpReply & { serverId: string }) | undefined {
  const usable = offers.filter((o): o is DhcpReply & { serverId: string } => o.serverId !== null);
  return usable.find((o) => o.serverId === preferServer) ?? usable[0];
}

function summarizeServers(result: DhcpDiscoverResult, expected: string[] | undefined): void {
  result.servers = [...new Set(result.offers.map((o) => o.serverId ?? o.sourceAddress))];
  result.unexpectedServers = expected ? result.servers.filter((s) => !expected.includes(s)) : [];
}

function newResult(plan: Plan): DhcpDiscoverResult {
  const target =
    plan.mode === 'broadcast' ? { interface: plan.interface } : { server: plan.server, relayAddress: plan.relayAddress };
  return {
    mode: plan.mode,
    xid: plan.xid.toString(16).padStart(8, '0'),
    mac: macFromBytes(plan.chaddr),
    ...target,
    timeoutMs: plan.timeoutMs,
    offers: [],
    servers: [],
    unexpectedServers: [],
    malformedReplies: 0,
    durationMs: 0,
  };
}

interface ReceivedReply {
  message: DhcpMessage;
  from: RemoteInfo;
  receivedAt: number;
}

function toReply(reply: ReceivedReply, sentAt: number): DhcpReply {
  const { message } = reply;
  const { options, rawOptions } = decodeOptions(message.options);
  return {
    messageType: options.messageType ?? null,
    serverId: serverIdOf(message) ?? null,
    sourceAddress: reply.from.address,
    yiaddr: message.yiaddr,
    siaddr: message.siaddr,
    giaddr: message.giaddr,
    sname: message.sname,
    file: message.file,
    latencyMs: roundMs(reply.receivedAt - sentAt),
    options,
    rawOptions,
  };
}

// ---------------------------------------------------------------------------------------------
// Messages

interface MessageDetails {
  requestedAddress?: string;
  serverId?: string;
  leasedAddress?: string;
}

function buildMessage(plan: Plan, type: 'DISCOVER' | 'REQUEST' | 'RELEASE', details: MessageDetails = {}): Buffer {
  const options: OptionField[] = [{ code: OPTION.messageType, data: Buffer.from([MESSAGE_TYPE_CODES[type]]) }];
  if (details.requestedAddress) options.push({ code: OPTION.requestedIpAddress, data: ipToBytes(details.requestedAddress) });
  if (details.serverId) options.push({ code: OPTION.serverId, data: ipToBytes(details.serverId) });
  const base = type === 'RELEASE' ? plan.baseOptions.filter((o) => o.code === OPTION.clientId) : plan.baseOptions;
  options.push(...base);
  if (type !== 'RELEASE') options.push(...plan.extraOptions);
  if (plan.mode === 'relay' && plan.relayAgentInfo) options.push({ code: OPTION.relayAgentInformation, data: plan.relayAgentInfo }); // RFC 3046: last

  const deduplicated = lastWins(options);
  const relay = plan.mode === 'relay' ? { giaddr: plan.relayAddress, hops: 1 } : {};
  return encodeMessage({
    op: BOOTREQUEST,
    xid: plan.xid,
    chaddr: plan.chaddr,
    flags: type === 'RELEASE' ? 0 : BROADCAST_FLAG,
    ciaddr: details.leasedAddress,
    options: deduplicated,
    ...relay,
  });
}

/** extraOptions may override a built-in option: keep the last occurrence of each code, in first-seen order. */
function lastWins(options: OptionField[]): OptionField[] {
  const byCode = new Map<number, OptionField>();
  for (const option of options) {
    byCode.delete(option.code);
    byCode.set(option.code, option);
  }
  const ordered = [...byCode.values()];
  const agentInfo = ordered.findIndex((o) => o.code === OPTION.relayAgentInformation);
  if (agentInfo >= 0) ordered.push(...ordered.splice(agentInfo, 1));
  return ordered;
}

// ---------------------------------------------------------------------------------------------
// Receiving

type ReplyHandler = (reply: ReceivedReply) => boolean;

/** Filters datagrams to this probe's replies (BOOTREPLY, xid, chaddr) and hands them to the current phase. */
class ReplyInbox {
  malformed = 0;
  private handler: ReplyHandler | undefined;
  private finish: (() => void) | undefined;

  private readonly plan: Plan;
  private readonly onRawPacket?: RawPacketListener;
  constructor(
    plan: Plan,
    onRawPacket?: RawPacketListener,
  ) {
    this.plan = plan;
    this.onRawPacket = onRawPacket;
  }

  /** Runs in a socket 'message' event: whatever the bytes, it must not throw (that would crash the process). */
  receive(packet: Buffer, from: RemoteInfo): void {
    const receivedAt = performance.now();
    try {
      this.onRawPacket?.(packet, from);
      const message = decodeMessage(packet);
      if (message.op !== BOOTREPLY || message.xid !== this.plan.xid || message.chaddr !== macFromBytes(this.plan.chaddr)) return;
      if (this.handler?.({ message, from, receivedAt })) this.finish?.();
    } catch {
      // A DhcpDecodeError is the expected case; anything else would be a codec bug, and is dropped alike.
      if (looksLikeOurs(packet, this.plan)) this.malformed += 1;
    }
  }

  /** Feeds replies to `handler` until it returns true, the window closes, or the signal aborts. */
  collect(windowMs: number, signal: AbortSignal | undefined, handler: ReplyHandler): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (err?: AdapterError) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.handler = undefined;
        this.finish = undefined;
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () => done(new AdapterError('CANCELLED', 'dhcp', 'the DHCP probe was cancelled'));
      const timer = setTimeout(() => done(), windowMs);
      this.handler = handler;
      this.finish = () => done();
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function looksLikeOurs(packet: Buffer, plan: Plan): boolean {
  return packet.length >= 8 && packet.readUInt32BE(4) === plan.xid;
}

// ---------------------------------------------------------------------------------------------
// Transports

async function openTransport(plan: Plan, inbox: ReplyInbox): Promise<Transport> {
  const socket = plan.mode === 'broadcast' ? await openBroadcastSocket(plan.interface) : await openRelaySocket(plan.relayAddress);
  socket.on('message', (packet, from) => inbox.receive(packet, from));
  socket.on('error', () => undefined); // send errors are reported by send(); nothing else may crash the process
  const destination = plan.mode === 'broadcast' ? '255.255.255.255' : plan.server;
  const where = plan.mode === 'broadcast' ? `on ${plan.interface}` : `to ${plan.server}`;
  let closed = false;
  return {
    send: (packet) =>
      new Promise<void>((resolve, reject) => {
        socket.send(packet, DHCP_SERVER_PORT, destination, (err) => {
          if (!err) return resolve();
          const code = (err as NodeJS.ErrnoException).code ?? err.message;
          reject(new AdapterError('UNAVAILABLE', 'dhcp', `cannot send the DHCP message ${where} (${code}); is the interface up?`));
        });
      }),
    close: () => {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}

const PRIVILEGE_HINT =
  'run as root or grant the capabilities NET_BIND_SERVICE (ports 67/68) and NET_RAW (SO_BINDTODEVICE); in Kubernetes add them under securityContext.capabilities and use hostNetwork: true to reach the node\'s segment';

async function openBroadcastSocket(device: string): Promise<Socket> {
  try {
    return await openDeviceSocket(device, DHCP_CLIENT_PORT);
  } catch (err) {
    if (!(err instanceof DeviceSocketError)) throw err;
    if (err.errnoCode === 'EADDRINUSE') {
      throw new AdapterError(
        'UNAVAILABLE',
        'dhcp',
        `UDP port ${DHCP_CLIENT_PORT} on ${device} is already in use by another DHCP client (dhclient, NetworkManager, systemd-networkd?); stop it or probe another interface`,
      );
    }
    if (err.errnoCode === 'EACCES' || err.errnoCode === 'EPERM') {
      throw new AdapterError('UNAVAILABLE', 'dhcp', `no privilege for ${err.step} (${err.errnoCode}): ${PRIVILEGE_HINT}`);
    }
    if (err.errnoCode === 'ENODEV') {
      const interfaces = listInterfaces();
      throw new AdapterError('INVALID_INPUT', 'dhcp', `no interface named ${device}; interfaces: ${interfaces.join(', ')}`, { interfaces });
    }
    throw new AdapterError('UNAVAILABLE', 'dhcp', `cannot open the DHCP client socket on ${device}: ${err.message}`);
  }
}

async function openRelaySocket(relayAddress: string): Promise<Socket> {
  const socket = createSocket({ type: 'udp4' });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: relayAddress, port: DHCP_SERVER_PORT, exclusive: true }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return socket;
  } catch (err) {
    socket.close();
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'EADDRINUSE') {
      throw new AdapterError(
        'UNAVAILABLE',
        'dhcp',
        `UDP port ${DHCP_SERVER_PORT} on ${relayAddress} is already in use (a DHCP server or relay on this host?); stop it or use another relayAddress`,
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new AdapterError('UNAVAILABLE', 'dhcp', `no privilege to bind UDP port ${DHCP_SERVER_PORT} (${code}): ${PRIVILEGE_HINT}`);
    }
    if (code === 'EADDRNOTAVAIL') {
      throw new AdapterError('INVALID_INPUT', 'dhcp', `relayAddress ${relayAddress} is not an address of this host`);
    }
    throw new AdapterError('UNAVAILABLE', 'dhcp', `cannot bind ${relayAddress}:${DHCP_SERVER_PORT} (${code})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function randomLocalMac(): string {
  const bytes = randomBytes(6);
  bytes[0] = (bytes[0] & 0xfc) | 0x02; // unicast, locally administered
  return macFromBytes(bytes);
}

function textBytes(value: string | undefined): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(value, 'utf8');
}

function u16(value: number): Buffer {
  const buf = Buffer.alloc(2);
  buf.writeUInt16BE(value, 0);
  return buf;
}

/** Runs tasks one at a time per key. */
class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(task);
    this.tails.set(key, current);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === current) this.tails.delete(key);
    }
  }
}
