import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Target policy (SSRF guard). Every address a request would send packets to is normalized and checked
 * here before any packet leaves: deny rules first (built-in defaults, then TARGET_DENY), then, when
 * TARGET_ALLOW is set, the address must match one of its rules.
 *
 * An address is checked as what it reaches: the unspecified address (0.0.0.0, ::) is the loopback
 * address of its family, and an address of this host's own interfaces is checked both as itself and as
 * loopback, since services listening on every interface answer there too.
 */

export interface PortRange {
  from: number;
  to: number;
}

export interface PolicyRule {
  /** How the rule reads in configuration and in refusals, e.g. `169.254.0.0/16` or `127.0.0.0/8@8080`. */
  text: string;
  origin: 'default' | 'TARGET_DENY' | 'TARGET_ALLOW';
  ports?: PortRange[];
  matches(address: NormalizedAddress): boolean;
}

export interface NormalizedAddress {
  address: string;
  family: 4 | 6;
  /** The address as 16-bit words (2 for IPv4, 8 for IPv6), for prefix matching. */
  words: number[];
}

export type PolicyDecision = { allowed: true } | { allowed: false; rule: string; reason: string };

export interface TargetPolicyOptions {
  allow?: string[];
  deny?: string[];
  /** Ports the service itself listens on; denied on loopback and unspecified addresses. */
  ownPorts?: number[];
  /** Keep the built-in link-local deny rules (default true). */
  denyLinkLocal?: boolean;
  /** This host's interface addresses; read at most every LOCAL_ADDRESSES_TTL_MS. Default: os.networkInterfaces(). */
  localAddresses?: LocalAddressSource;
}

export type LocalAddressSource = () => readonly string[];

const LINK_LOCAL = ['169.254.0.0/16', 'fe80::/10'];
/** The unspecified addresses need no rule here: they are checked as loopback. */
const LOCAL_SELF = ['127.0.0.0/8', '::1/128'];
/** Interfaces change rarely; re-reading them on every check would put a syscall on every request's path. */
export const LOCAL_ADDRESSES_TTL_MS = 5000;
const ALLOWED: PolicyDecision = { allowed: true };

export class TargetPolicy {
  readonly deny: PolicyRule[];
  readonly allow: PolicyRule[];
  private readonly ownAddresses: OwnAddresses;

  constructor(options: TargetPolicyOptions = {}) {
    this.ownAddresses = new OwnAddresses(options.localAddresses ?? interfaceAddresses);
    this.deny = (options.denyLinkLocal ?? true) ? LINK_LOCAL.map((cidr) => parseRule(cidr, 'default')) : [];
    this.denyOwnPorts(options.ownPorts ?? []);
    this.deny.push(...(options.deny ?? []).map((r) => parseRule(r, 'TARGET_DENY')));
    this.allow = (options.allow ?? []).map((r) => parseRule(r, 'TARGET_ALLOW'));
  }

  /** Denies the service's own listening ports on loopback; main.ts adds ports known only once bound. */
  denyOwnPorts(ports: number[]): void {
    const portList = [...new Set(ports)].filter((p) => p > 0).join('+');
    if (portList) this.deny.unshift(...LOCAL_SELF.map((cidr) => parseRule(`${cidr}@${portList}`, 'default')));
  }

  check(rawAddress: string, port?: number): PolicyDecision {
    const normalized = normalizeAddress(rawAddress);
    if (!normalized) return { allowed: false, rule: '(unparsable address)', reason: `${rawAddress} is not an IP address` };
    const loopback = loopbackOf(normalized.family);
    const loopbackText = LOOPBACK_ADDRESS[normalized.family];
    if (isUnspecified(normalized)) return explained(this.checkRules(loopback, port), `${normalized.address} reaches ${loopbackText}, and `);
    const asItself = this.checkRules(normalized, port);
    if (!asItself.allowed || !this.ownAddresses.has(normalized)) return asItself;
    const prefix = `${normalized.address} is an address of this host and reaches its local services as ${loopbackText} does, and `;
    return explained(this.checkRules(loopback, port), prefix);
  }

  private checkRules(address: NormalizedAddress, port: number | undefined): PolicyDecision {
    for (const rule of this.deny) {
      if (rule.matches(address) && portMatches(rule.ports, port)) {
        return { allowed: false, rule: `${rule.origin} ${rule.text}`, reason: `${address.address} matches deny rule ${rule.text}` };
      }
    }
    if (this.allow.length > 0 && !this.allow.some((rule) => rule.matches(address) && portMatches(rule.ports, port))) {
      return { allowed: false, rule: 'TARGET_ALLOW', reason: `${address.address}${port ? ` port ${port}` : ''} is not in TARGET_ALLOW` };
    }
    return ALLOWED;
  }
}

function explained(decision: PolicyDecision, prefix: string): PolicyDecision {
  return decision.allowed ? decision : { ...decision, reason: prefix + decision.reason };
}

/** This host's interface addresses other than loopback, canonical, re-read at most every LOCAL_ADDRESSES_TTL_MS. */
class OwnAddresses {
  private addresses = new Set<string>();
  private readAt = -Infinity;

  constructor(private readonly source: LocalAddressSource) {}

  has(address: NormalizedAddress): boolean {
    const now = performance.now();
    if (now - this.readAt >= LOCAL_ADDRESSES_TTL_MS) {
      const own = this.source().flatMap((text) => normalizeAddress(text) ?? []);
      this.addresses = new Set(own.filter((a) => a.address !== loopbackOf(a.family).address).map((a) => a.address));
      this.readAt = now;
    }
    return this.addresses.has(address.address);
  }
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address));
}

/** The loopback address of each family, as a connection target: where the unspecified address goes. */
export const LOOPBACK_ADDRESS = { 4: '127.0.0.1', 6: '::1' } as const;
const LOOPBACK = { 4: ipv4(LOOPBACK_ADDRESS[4]), 6: fromIPv6(LOOPBACK_ADDRESS[6]) };

function loopbackOf(family: 4 | 6): NormalizedAddress {
  return LOOPBACK[family];
}

/** 0.0.0.0 or :: (in whatever spelling was normalized): the kernel delivers packets sent there to loopback. */
export function isUnspecified(address: NormalizedAddress): boolean {
  return address.words.every((word) => word === 0);
}

function portMatches(ranges: PortRange[] | undefined, port: number | undefined): boolean {
  if (!ranges) return true;
  if (port === undefined) return true;
  return ranges.some((r) => port >= r.from && port <= r.to);
}

/** Parses `CIDR` or `CIDR@PORTS`, PORTS being `p`, `p-q`, or several joined by `+`. Throws on nonsense. */
export function parseRule(text: string, origin: PolicyRule['origin']): PolicyRule {
  const [cidrPart, portPart] = text.trim().split('@');
  const [addressPart, prefixPart] = cidrPart.split('/');
  const network = normalizeAddress(addressPart);
  if (!network) throw new Error(`"${text}": not an IP address or CIDR`);
  const maxPrefix = network.family === 4 ? 32 : 128;
  const prefix = prefixPart === undefined ? maxPrefix : Number(prefixPart);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || (prefixPart !== undefined && !/^\d+$/.test(prefixPart))) {
    throw new Error(`"${text}": prefix length must be 0..${maxPrefix}`);
  }
  const ports = portPart === undefined ? undefined : parsePorts(portPart, text);
  const family = network.family;
  return {
    text: text.trim(),
    origin,
    ports,
    matches: (candidate) => candidate.family === family && prefixMatches(network.words, candidate.words, prefix),
  };
}

function prefixMatches(network: number[], candidate: number[], prefix: number): boolean {
  let bits = prefix;
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((network[i] & mask) !== (candidate[i] & mask)) return false;
  }
  return true;
}

function parsePorts(text: string, rule: string): PortRange[] {
  return text.split('+').map((part) => {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const from = match ? Number(match[1]) : NaN;
    const to = match?.[2] !== undefined ? Number(match[2]) : from;
    if (!match || from < 1 || to > 65535 || from > to) throw new Error(`"${rule}": bad port or range "${part}"`);
    return { from, to };
  });
}

/**
 * Canonical form of an address as the kernel would use it: brackets and zone ids dropped,
 * IPv4-mapped/-compatible IPv6 turned into IPv4, and the inet_aton spellings of IPv4 that
 * getaddrinfo accepts (`0xA9FEA9FE`, `2852039166`, `0251.0376.0251.0376`, `169.254.43518`) decoded.
 */
export function normalizeAddress(input: string): NormalizedAddress | undefined {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone > 0 && text.includes(':')) text = text.slice(0, zone);

  const literal = isIP(text);
  if (literal === 6) return fromIPv6(text);
  if (literal === 4) return ipv4(text);
  const v4 = parseLooseIPv4(text);
  return v4 === undefined ? undefined : ipv4(v4);
}

function ipv4(dotted: string): NormalizedAddress {
  const [a, b, c, d] = dotted.split('.').map(Number);
  return { address: dotted, family: 4, words: [(a << 8) | b, (c << 8) | d] };
}

function fromIPv6(text: string): NormalizedAddress {
  const words = expandIPv6(text);
  const prefixZero = words.slice(0, 5).every((w) => w === 0);
  const mapped = prefixZero && words[5] === 0xffff;
  const compatible = prefixZero && words[5] === 0 && (words[6] !== 0 || words[7] > 1);
  if (mapped || compatible) {
    return ipv4([words[6] >> 8, words[6] & 0xff, words[7] >> 8, words[7] & 0xff].join('.'));
  }
  return { address: words.map((w) => w.toString(16)).join(':'), family: 6, words };
}

function expandIPv6(text: string): number[] {
  // The WHATWG URL parser canonicalizes IPv6 (embedded dotted quads become hex words), leaving only `::` to expand.
  const canonical = new URL(`http://[${text}]`).hostname.slice(1, -1);
  const [left, right] = canonical.split('::');
  const words = (s: string | undefined) => (s ? s.split(':').map((x) => parseInt(x, 16)) : []);
  const l = words(left);
  const r = words(right);
  return right === undefined ? l : [...l, ...new Array(8 - l.length - r.length).fill(0), ...r];
}

/** inet_aton(3): one to four parts, each decimal, 0x-hex or 0-octal; the last part fills the remaining bytes. */
export function parseLooseIPv4(text: string): string | undefined {
  if (!/^[0-9a-fA-FxX.]+$/.test(text)) return undefined;
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => p === '')) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) value = parseInt(part, 10);
    else return undefined;
    values.push(value);
  }
  const lastIndex = values.length - 1;
  const lastMax = 2 ** (8 * (4 - lastIndex)) - 1;
  if (values.slice(0, lastIndex).some((v) => v > 255) || values[lastIndex] > lastMax) return undefined;
  let n = 0;
  for (let i = 0; i < lastIndex; i++) n += values[i] * 2 ** (8 * (3 - i));
  n += values[lastIndex];
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}
