/**
 * Pure BOOTP/DHCP message codec (RFC 2131, RFC 2132 and the option RFCs named in OPTION_TABLE).
 * No I/O. decodeMessage() throws DhcpDecodeError, and nothing else, on any malformed input.
 */

import type { DhcpRoute, KindValues, OptionKind } from './schemas.ts';

export const DHCP_MAGIC_COOKIE = 0x63825363;
const FIXED_HEADER_LENGTH = 236;
const OPTIONS_OFFSET = FIXED_HEADER_LENGTH + 4;
const SNAME_OFFSET = 44;
const SNAME_LENGTH = 64;
const FILE_OFFSET = 108;
const FILE_LENGTH = 128;
/** BOOTP relay agents and some servers drop anything shorter (RFC 1542 §2.1). */
const MIN_BOOTP_LENGTH = 300;
const MAX_CHADDR_LENGTH = 16;

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const BROADCAST_FLAG = 0x8000;

export const OPTION_PAD = 0;
export const OPTION_END = 255;

export class DhcpDecodeError extends Error {
  override readonly name = 'DhcpDecodeError';
}

export const MESSAGE_TYPES = {
  1: 'DISCOVER',
  2: 'OFFER',
  3: 'REQUEST',
  4: 'DECLINE',
  5: 'ACK',
  6: 'NAK',
  7: 'RELEASE',
  8: 'INFORM',
  9: 'FORCERENEW',
  10: 'LEASEQUERY',
  11: 'LEASEUNASSIGNED',
  12: 'LEASEUNKNOWN',
  13: 'LEASEACTIVE',
} as const;
export type MessageTypeName = (typeof MESSAGE_TYPES)[keyof typeof MESSAGE_TYPES];
export const MESSAGE_TYPE_CODES = Object.fromEntries(Object.entries(MESSAGE_TYPES).map(([code, name]) => [name, Number(code)])) as Record<
  MessageTypeName,
  number
>;

interface OptionSpec {
  name: string;
  kind: OptionKind;
}

/** Every option this codec names; anything else still appears in rawOptions. */
export const OPTION_TABLE = {
  1: { name: 'subnetMask', kind: 'ip' },
  2: { name: 'timeOffset', kind: 'i32' },
  3: { name: 'router', kind: 'ips' },
  4: { name: 'timeServers', kind: 'ips' },
  5: { name: 'nameServers', kind: 'ips' },
  6: { name: 'dnsServers', kind: 'ips' },
  7: { name: 'logServers', kind: 'ips' },
  8: { name: 'cookieServers', kind: 'ips' },
  9: { name: 'lprServers', kind: 'ips' },
  10: { name: 'impressServers', kind: 'ips' },
  11: { name: 'resourceLocationServers', kind: 'ips' },
  12: { name: 'hostName', kind: 'string' },
  13: { name: 'bootFileSize', kind: 'u16' },
  14: { name: 'meritDumpFile', kind: 'string' },
  15: { name: 'domainName', kind: 'string' },
  16: { name: 'swapServer', kind: 'ip' },
  17: { name: 'rootPath', kind: 'string' },
  18: { name: 'extensionsPath', kind: 'string' },
  19: { name: 'ipForwarding', kind: 'bool' },
  20: { name: 'nonLocalSourceRouting', kind: 'bool' },
  21: { name: 'policyFilter', kind: 'ipPairs' },
  22: { name: 'maxDatagramReassemblySize', kind: 'u16' },
  23: { name: 'defaultIpTtl', kind: 'u8' },
  24: { name: 'pathMtuAgingTimeout', kind: 'u32' },
  25: { name: 'pathMtuPlateauTable', kind: 'u16s' },
  26: { name: 'interfaceMtu', kind: 'u16' },
  27: { name: 'allSubnetsLocal', kind: 'bool' },
  28: { name: 'broadcastAddress', kind: 'ip' },
  29: { name: 'performMaskDiscovery', kind: 'bool' },
  30: { name: 'maskSupplier', kind: 'bool' },
  31: { name: 'performRouterDiscovery', kind: 'bool' },
  32: { name: 'routerSolicitationAddress', kind: 'ip' },
  33: { name: 'staticRoutes', kind: 'staticRoutes' },
  34: { name: 'trailerEncapsulation', kind: 'bool' },
  35: { name: 'arpCacheTimeout', kind: 'u32' },
  36: { name: 'ethernetEncapsulation', kind: 'bool' },
  37: { name: 'tcpDefaultTtl', kind: 'u8' },
  38: { name: 'tcpKeepaliveInterval', kind: 'u32' },
  39: { name: 'tcpKeepaliveGarbage', kind: 'bool' },
  40: { name: 'nisDomain', kind: 'string' },
  41: { name: 'nisServers', kind: 'ips' },
  42: { name: 'ntpServers', kind: 'ips' },
  43: { name: 'vendorSpecific', kind: 'hex' },
  44: { name: 'netbiosNameServers', kind: 'ips' },
  45: { name: 'netbiosDatagramDistributionServers', kind: 'ips' },
  46: { name: 'netbiosNodeType', kind: 'u8' },
  47: { name: 'netbiosScope', kind: 'string' },
  48: { name: 'xWindowFontServers', kind: 'ips' },
  49: { name: 'xWindowDisplayManagers', kind: 'ips' },
  50: { name: 'requestedIpAddress', kind: 'ip' },
  51: { name: 'leaseTime', kind: 'u32' },
  52: { name: 'optionOverload', kind: 'u8' },
  53: { name: 'messageType', kind: 'messageType' },
  54: { name: 'serverId', kind: 'ip' },
  55: { name: 'parameterRequestList', kind: 'u8s' },
  56: { name: 'message', kind: 'string' },
  57: { name: 'maxMessageSize', kind: 'u16' },
  58: { name: 'renewalTime', kind: 'u32' },
  59: { name: 'rebindingTime', kind: 'u32' },
  60: { name: 'vendorClassId', kind: 'string' },
  61: { name: 'clientId', kind: 'clientId' },
  62: { name: 'netwareIpDomain', kind: 'string' },
  63: { name: 'netwareIpInformation', kind: 'hex' },
  64: { name: 'nisPlusDomain', kind: 'string' },
  65: { name: 'nisPlusServers', kind: 'ips' },
  66: { name: 'tftpServerName', kind: 'string' },
  67: { name: 'bootfileName', kind: 'string' },
  68: { name: 'mobileIpHomeAgents', kind: 'ips' },
  69: { name: 'smtpServers', kind: 'ips' },
  70: { name: 'pop3Servers', kind: 'ips' },
  71: { name: 'nntpServers', kind: 'ips' },
  72: { name: 'wwwServers', kind: 'ips' },
  73: { name: 'fingerServers', kind: 'ips' },
  74: { name: 'ircServers', kind: 'ips' },
  75: { name: 'streetTalkServers', kind: 'ips' },
  76: { name: 'stdaServers', kind: 'ips' },
  77: { name: 'userClass', kind: 'userClass' },
  81: { name: 'clientFqdn', kind: 'clientFqdn' },
  82: { name: 'relayAgentInformation', kind: 'relayAgent' },
  119: { name: 'domainSearch', kind: 'domainSearch' },
  121: { name: 'classlessStaticRoutes', kind: 'classlessRoutes' },
  150: { name: 'tftpServerAddresses', kind: 'ips' },
  252: { name: 'wpadUrl', kind: 'string' },
} as const satisfies Record<number, OptionSpec>;

type OptionTable = typeof OPTION_TABLE;

/** Option codes by name (`OPTION.serverId` is 54): the codec's table, read the other way round. */
export const OPTION = Object.fromEntries(Object.entries(OPTION_TABLE).map(([code, spec]) => [spec.name, Number(code)])) as {
  readonly [C in keyof OptionTable as OptionTable[C]['name']]: C;
};

/** Decoded options: one typed, optional field per named option. */
export type DhcpOptions = {
  -readonly [C in keyof OptionTable as OptionTable[C]['name']]?: KindValues[OptionTable[C]['kind']];
};

export type DhcpOptionName = keyof DhcpOptions;

export interface RawOption {
  code: number;
  /** The table name, or `option<code>` for options this codec does not name. */
  name: string;
  hex: string;
  /** Why a named option could not be decoded (it then appears here only). */
  error?: string;
}

/** One option as it travels: a code and its (concatenated, RFC 3396) bytes. */
export interface OptionField {
  code: number;
  data: Buffer;
}

export interface DhcpMessage {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** The first `hlen` bytes of chaddr, colon-separated hex. */
  chaddr: string;
  sname: string;
  file: string;
  /** Options in order of first appearance; repeated codes are concatenated (RFC 3396). */
  options: OptionField[];
}

export function optionName(code: number): string {
  return (OPTION_TABLE as Record<number, OptionSpec>)[code]?.name ?? `option${code}`;
}

// ---------------------------------------------------------------------------------------------
// Decoding

export function decodeMessage(packet: Uint8Array): DhcpMessage {
  const buf = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  if (buf.length < OPTIONS_OFFSET) {
    throw new DhcpDecodeError(`packet too short: ${buf.length} bytes, a DHCP message has at least ${OPTIONS_OFFSET}`);
  }
  if (buf.readUInt32BE(FIXED_HEADER_LENGTH) !== DHCP_MAGIC_COOKIE) {
    throw new DhcpDecodeError('missing DHCP magic cookie (a plain BOOTP message?)');
  }
  const hlen = buf[2];
  if (hlen > MAX_CHADDR_LENGTH) throw new DhcpDecodeError(`hlen ${hlen} exceeds the 16-byte chaddr field`);

  const collected = new Map<number, Buffer[]>();
  const overload = parseOptionArea(buf.subarray(OPTIONS_OFFSET), 'options', collected);
  const sname = buf.subarray(SNAME_OFFSET, SNAME_OFFSET + SNAME_LENGTH);
  const file = buf.subarray(FILE_OFFSET, FILE_OFFSET + FILE_LENGTH);
  // RFC 2131 §4.1: options, then file, then sname.
  if (overload !== undefined && (overload & 1) !== 0) parseOptionArea(file, 'file', collected);
  if (overload !== undefined && (overload & 2) !== 0) parseOptionArea(sname, 'sname', collected);

  return {
    op: buf[0],
    htype: buf[1],
    hlen,
    hops: buf[3],
    xid: buf.readUInt32BE(4),
    secs: buf.readUInt16BE(8),
    flags: buf.readUInt16BE(10),
    ciaddr: ipAt(buf, 12),
    yiaddr: ipAt(buf, 16),
    siaddr: ipAt(buf, 20),
    giaddr: ipAt(buf, 24),
    chaddr: macFromBytes(buf.subarray(28, 28 + hlen)),
    sname: overload !== undefined && (overload & 2) !== 0 ? '' : cString(sname),
    file: overload !== undefined && (overload & 1) !== 0 ? '' : cString(file),
    options: [...collected].map(([code, parts]) => ({ code, data: Buffer.concat(parts) })),
  };
}

/** Parses one option area into `collected`; returns the option overload (52) value if the area holds one. */
function parseOptionArea(area: Buffer, label: string, collected: Map<number, Buffer[]>): number | undefined {
  let overload: number | undefined;
  let offset = 0;
  while (offset < area.length) {
    const code = area[offset];
    if (code === OPTION_END) return overload;
    if (code === OPTION_PAD) {
      offset += 1;
      continue;
    }
    if (offset + 1 >= area.length) throw new DhcpDecodeError(`option ${code} in ${label} has no length byte`);
    const length = area[offset + 1];
    const end = offset + 2 + length;
    if (end > area.length) {
      throw new DhcpDecodeError(`option ${code} in ${label} claims ${length} bytes but only ${area.length - offset - 2} remain`);
    }
    const data = area.subarray(offset + 2, end);
    if (code === OPTION.optionOverload && label === 'options') {
      if (length !== 1 || data[0] < 1 || data[0] > 3) throw new DhcpDecodeError('option overload (52) must be one byte of 1, 2 or 3');
      overload = data[0];
    }
    const parts = collected.get(code);
    if (parts) parts.push(data);
    else collected.set(code, [data]);
    offset = end;
  }
  // A missing END is tolerated: the area simply ran out.
  return overload;
}

export interface DecodedOptions {
  options: DhcpOptions;
  rawOptions: RawOption[];
}

/** Names and types every option; an option that does not decode is kept in rawOptions with an `error`. */
export function decodeOptions(fields: OptionField[]): DecodedOptions {
  const options: Record<string, unknown> = {};
  const rawOptions: RawOption[] = [];
  for (const { code, data } of fields) {
    const raw: RawOption = { code, name: optionName(code), hex: data.toString('hex') };
    const spec = (OPTION_TABLE as Record<number, OptionSpec>)[code];
    if (spec) {
      try {
        options[spec.name] = KIND_DECODERS[spec.kind](data);
      } catch (err) {
        if (!(err instanceof DhcpDecodeError)) throw err;
        raw.error = err.message;
      }
    }
    rawOptions.push(raw);
  }
  return { options: options as DhcpOptions, rawOptions };
}

export function findOption(message: DhcpMessage, code: number): Buffer | undefined {
  return message.options.find((o) => o.code === code)?.data;
}

export function messageTypeOf(message: DhcpMessage): number | undefined {
  const data = findOption(message, OPTION.messageType);
  return data && data.length === 1 ? data[0] : undefined;
}

export function serverIdOf(message: DhcpMessage): string | undefined {
  const data = findOption(message, OPTION.serverId);
  return data && data.length === 4 ? ipAt(data, 0) : undefined;
}

const KIND_DECODERS: { [K in OptionKind]: (data: Buffer) => KindValues[K] } = {
  ip: (d) => {
    expectLength(d, 4);
    return ipAt(d, 0);
  },
  ips: (d) => {
    expectMultiple(d, 4, 4);
    return chunks(d, 4).map((c) => ipAt(c, 0));
  },
  ipPairs: (d) => {
    expectMultiple(d, 8, 8);
    return chunks(d, 8).map((c) => [ipAt(c, 0), ipAt(c, 4)]);
  },
  u8: (d) => {
    expectLength(d, 1);
    return d[0];
  },
  u16: (d) => {
    expectLength(d, 2);
    return d.readUInt16BE(0);
  },
  u16s: (d) => {
    expectMultiple(d, 2, 2);
    return chunks(d, 2).map((c) => c.readUInt16BE(0));
  },
  u32: (d) => {
    expectLength(d, 4);
    return d.readUInt32BE(0);
  },
  i32: (d) => {
    expectLength(d, 4);
    return d.readInt32BE(0);
  },
  bool: (d) => {
    expectLength(d, 1);
    if (d[0] > 1) throw new DhcpDecodeError(`a boolean option must be 0 or 1, got ${d[0]}`);
    return d[0] === 1;
  },
  string: (d) => text(d),
  hex: (d) => d.toString('hex'),
  u8s: (d) => [...d],
  messageType: (d) => {
    expectLength(d, 1);
    return (MESSAGE_TYPES as Record<number, MessageTypeName>)[d[0]] ?? (`UNKNOWN(${d[0]})` as const);
  },
  clientId: decodeClientId,
  userClass: decodeUserClass,
  clientFqdn: decodeClientFqdn,
  relayAgent: decodeRelayAgentInformation,
  domainSearch: decodeDomainSearch,
  classlessRoutes: decodeClasslessRoutes,
  staticRoutes: (d) => {
    expectMultiple(d, 8, 8);
    return chunks(d, 8).map((c) => ({ destination: ipAt(c, 0), router: ipAt(c, 4) }));
  },
};

function decodeClientId(d: Buffer): KindValues['clientId'] {
  if (d.length < 2) throw new DhcpDecodeError('client identifier (61) needs a type and at least one byte');
  const type = d[0];
  const rest = d.subarray(1);
  return { type, value: type === 1 && rest.length === 6 ? macFromBytes(rest) : rest.toString('hex') };
}

/** RFC 3004 length-prefixed classes; many clients send one bare string instead, which is accepted as such. */
function decodeUserClass(d: Buffer): string[] {
  const classes: string[] = [];
  let offset = 0;
  while (offset < d.length) {
    const length = d[offset];
    if (length === 0 || offset + 1 + length > d.length) return [text(d)];
    classes.push(text(d.subarray(offset + 1, offset + 1 + length)));
    offset += 1 + length;
  }
  return classes;
}

function decodeClientFqdn(d: Buffer): KindValues['clientFqdn'] {
  if (d.length < 3) throw new DhcpDecodeError('client FQDN (81) needs flags and two rcode bytes');
  const flags = d[0];
  const nameBytes = d.subarray(3);
  const canonicalEncoding = (flags & 0x04) !== 0;
  const domainName = canonicalEncoding ? readDnsNames(nameBytes, false).join(' ') : text(nameBytes);
  return { flags, rcode1: d[1], rcode2: d[2], domainName };
}

function decodeRelayAgentInformation(d: Buffer): KindValues['relayAgent'] {
  const info: KindValues['relayAgent'] = { subOptions: [] };
  let offset = 0;
  while (offset < d.length) {
    if (offset + 2 > d.length) throw new DhcpDecodeError('relay agent information (82): truncated sub-option');
    const code = d[offset];
    const length = d[offset + 1];
    if (offset + 2 + length > d.length) throw new DhcpDecodeError(`relay agent information (82): sub-option ${code} overruns`);
    const value = d.subarray(offset + 2, offset + 2 + length);
    info.subOptions.push({ code, hex: value.toString('hex') });
    if (code === 1) info.circuitId = printableOrHex(value);
    if (code === 2) info.remoteId = printableOrHex(value);
    offset += 2 + length;
  }
  return info;
}

/** RFC 3397: a list of DNS names whose compression pointers refer into the whole (concatenated) option. */
export function decodeDomainSearch(d: Buffer): string[] {
  return readDnsNames(d, true);
}

function readDnsNames(d: Buffer, allowPointers: boolean): string[] {
  const names: string[] = [];
  let offset = 0;
  while (offset < d.length) {
    const { name, next } = readDnsName(d, offset, allowPointers);
    names.push(name);
    offset = next;
  }
  return names;
}

function readDnsName(d: Buffer, start: number, allowPointers: boolean): { name: string; next: number } {
  const labels: string[] = [];
  let offset = start;
  let next = -1;
  // Pointers must go strictly before the name being read, then before each previous jump target: no loops.
  let pointerLimit = start;
  let length = 0;
  for (;;) {
    if (offset >= d.length) throw new DhcpDecodeError('DNS name runs past the end of the option');
    const byte = d[offset];
    if (byte === 0) {
      if (next < 0) next = offset + 1;
      break;
    }
    if ((byte & 0xc0) === 0xc0) {
      if (!allowPointers) throw new DhcpDecodeError('compression pointer where none is allowed');
      if (offset + 1 >= d.length) throw new DhcpDecodeError('truncated compression pointer');
      const target = ((byte & 0x3f) << 8) | d[offset + 1];
      if (next < 0) next = offset + 2;
      if (target >= pointerLimit) throw new DhcpDecodeError('compression pointer loop or forward pointer in DNS name');
      pointerLimit = target;
      offset = target;
      continue;
    }
    if ((byte & 0xc0) !== 0) throw new DhcpDecodeError(`invalid DNS label type 0x${byte.toString(16)}`);
    if (offset + 1 + byte > d.length) throw new DhcpDecodeError('DNS label runs past the end of the option');
    length += byte + 1;
    if (length > 255) throw new DhcpDecodeError('DNS name longer than 255 bytes');
    labels.push(text(d.subarray(offset + 1, offset + 1 + byte)));
    offset += 1 + byte;
  }
  return { name: labels.join('.'), next };
}

/** RFC 3442: width byte, significant destination octets, router. */
export function decodeClasslessRoutes(d: Buffer): DhcpRoute[] {
  const routes: DhcpRoute[] = [];
  let offset = 0;
  while (offset < d.length) {
    const width = d[offset];
    if (width > 32) throw new DhcpDecodeError(`classless route with prefix length ${width}`);
    const significant = Math.ceil(width / 8);
    if (offset + 1 + significant + 4 > d.length) throw new DhcpDecodeError('truncated classless static route');
    const destination = Buffer.alloc(4);
    d.copy(destination, 0, offset + 1, offset + 1 + significant);
    routes.push({ destination: `${ipAt(destination, 0)}/${width}`, router: ipAt(d, offset + 1 + significant) });
    offset += 1 + significant + 4;
  }
  return routes;
}

// ---------------------------------------------------------------------------------------------
// Encoding

export interface EncodeInput {
  op: number;
  xid: number;
  chaddr: Buffer;
  htype?: number;
  hops?: number;
  secs?: number;
  flags?: number;
  ciaddr?: string;
  yiaddr?: string;
  siaddr?: string;
  giaddr?: string;
  options: OptionField[];
}

export function encodeMessage(input: EncodeInput): Buffer {
  if (input.chaddr.length > MAX_CHADDR_LENGTH) throw new RangeError('chaddr longer than 16 bytes');
  const header = Buffer.alloc(OPTIONS_OFFSET);
  header[0] = input.op;
  header[1] = input.htype ?? 1;
  header[2] = input.chaddr.length;
  header[3] = input.hops ?? 0;
  header.writeUInt32BE(input.xid >>> 0, 4);
  header.writeUInt16BE(input.secs ?? 0, 8);
  header.writeUInt16BE(input.flags ?? 0, 10);
  writeIp(header, 12, input.ciaddr ?? '0.0.0.0');
  writeIp(header, 16, input.yiaddr ?? '0.0.0.0');
  writeIp(header, 20, input.siaddr ?? '0.0.0.0');
  writeIp(header, 24, input.giaddr ?? '0.0.0.0');
  input.chaddr.copy(header, 28);
  header.writeUInt32BE(DHCP_MAGIC_COOKIE, FIXED_HEADER_LENGTH);
  const encodedOptions = input.options.flatMap(({ code, data }) => splitOption(code, data));
  const message = Buffer.concat([header, ...encodedOptions, Buffer.from([OPTION_END])]);
  if (message.length >= MIN_BOOTP_LENGTH) return message;
  return Buffer.concat([message, Buffer.alloc(MIN_BOOTP_LENGTH - message.length)]);
}

/** RFC 3396: values longer than 255 bytes travel as several instances of the option. */
function splitOption(code: number, data: Buffer): Buffer[] {
  if (code === OPTION_PAD || code === OPTION_END || code < 0 || code > 255) throw new RangeError(`option code ${code} cannot be encoded`);
  const parts: Buffer[] = [];
  let offset = 0;
  do {
    const piece = data.subarray(offset, offset + 255);
    parts.push(Buffer.from([code, piece.length]), piece);
    offset += 255;
  } while (offset < data.length);
  return parts;
}

export function encodeRelayAgentInformation(circuitId?: Buffer, remoteId?: Buffer): Buffer {
  const parts: Buffer[] = [];
  if (circuitId) parts.push(Buffer.from([1, circuitId.length]), circuitId);
  if (remoteId) parts.push(Buffer.from([2, remoteId.length]), remoteId);
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------
// Small byte helpers

export function ipAt(buf: Buffer, offset: number): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}

export function ipToBytes(ip: string): Buffer {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new RangeError(`not an IPv4 address: ${ip}`);
  return Buffer.from(parts);
}

function writeIp(buf: Buffer, offset: number, ip: string): void {
  ipToBytes(ip).copy(buf, offset);
}

export function macFromBytes(bytes: Buffer): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function macToBytes(mac: string): Buffer {
  return Buffer.from(mac.replace(/[:-]/g, ''), 'hex');
}

function chunks(d: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0; offset < d.length; offset += size) out.push(d.subarray(offset, offset + size));
  return out;
}

function expectLength(d: Buffer, length: number): void {
  if (d.length !== length) throw new DhcpDecodeError(`expected ${length} bytes, got ${d.length}`);
}

function expectMultiple(d: Buffer, unit: number, min: number): void {
  if (d.length < min || d.length % unit !== 0) throw new DhcpDecodeError(`expected a multiple of ${unit} bytes (at least ${min}), got ${d.length}`);
}

/** Option strings are NVT ASCII, sometimes NUL-terminated; invalid UTF-8 becomes U+FFFD rather than failing. */
function text(d: Buffer): string {
  const nul = d.indexOf(0);
  return (nul >= 0 ? d.subarray(0, nul) : d).toString('utf8');
}

function cString(d: Buffer): string {
  return text(d);
}

function printableOrHex(d: Buffer): string {
  return d.length > 0 && d.every((b) => b >= 0x20 && b < 0x7f) ? d.toString('latin1') : d.toString('hex');
}
