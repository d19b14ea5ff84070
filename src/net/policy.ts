import { networkInterfaces } from 'node:os';
import { isUnspecified, LOOPBACK_ADDRESS, loopbackOf, normalizeAddress, type NormalizedAddress } from './address.ts';
import { parseCidr } from './cidr.ts';

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

/** Built complete and never changed: what main.ts builds once the listening ports are known is what every request sees. */
export class TargetPolicy {
  readonly deny: readonly PolicyRule[];
  readonly allow: readonly PolicyRule[];
  private readonly ownAddresses: OwnAddresses;

  constructor(options: TargetPolicyOptions = {}) {
    this.ownAddresses = new OwnAddresses(options.localAddresses ?? interfaceAddresses);
    this.deny = Object.freeze([
      ...ownPortRules(options.ownPorts ?? []),
      ...((options.denyLinkLocal ?? true) ? LINK_LOCAL.map((cidr) => parseRule(cidr, 'default')) : []),
      ...(options.deny ?? []).map((r) => parseRule(r, 'TARGET_DENY')),
    ]);
    this.allow = Object.freeze((options.allow ?? []).map((r) => parseRule(r, 'TARGET_ALLOW')));
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

/** The service's own listening ports, denied on loopback (and so on every address that reaches it). */
function ownPortRules(ports: number[]): PolicyRule[] {
  const portList = [...new Set(ports)].filter((p) => p > 0).join('+');
  return portList ? LOCAL_SELF.map((cidr) => parseRule(`${cidr}@${portList}`, 'default')) : [];
}

function explained(decision: PolicyDecision, prefix: string): PolicyDecision {
  return decision.allowed ? decision : { ...decision, reason: prefix + decision.reason };
}

/** This host's interface addresses other than loopback, canonical, re-read at most every LOCAL_ADDRESSES_TTL_MS. */
class OwnAddresses {
  private addresses = new Set<string>();
  private readAt = -Infinity;

  private readonly source: LocalAddressSource;
  constructor(source: LocalAddressSource) {
    this.source = source;
  }

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

function portMatches(ranges: PortRange[] | undefined, port: number | undefined): boolean {
  if (!ranges) return true;
  if (port === undefined) return true;
  return ranges.some((r) => port >= r.from && port <= r.to);
}

/** Parses `CIDR` or `CIDR@PORTS`, PORTS being `p`, `p-q`, or several joined by `+`. Throws on nonsense. */
export function parseRule(text: string, origin: PolicyRule['origin']): PolicyRule {
  const [cidrPart, portPart] = text.trim().split('@');
  const cidr = parseCidr(cidrPart, text.trim());
  const ports = portPart === undefined ? undefined : parsePorts(portPart, text);
  return { text: text.trim(), origin, ports, matches: cidr.matches };
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

