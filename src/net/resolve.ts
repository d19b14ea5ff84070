import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AdapterError, type Subsystem } from '../errors.ts';
import { isUnspecified, LOOPBACK_ADDRESS, normalizeAddress } from './address.ts';
import { TargetPolicy } from './policy.ts';

export type IpFamilyPreference = 4 | 6 | 'auto';

export interface ResolvedTarget {
  /** What the caller asked for (name or literal, brackets stripped). */
  host: string;
  /** The address to connect to. Adapters connect here and never look the name up again. */
  address: string;
  family: 4 | 6;
  /** Every address the name resolved to (one for a literal). */
  addresses: string[];
  dnsMs: number;
}

/** getaddrinfo for a name: every address, in the resolver's order. Injectable for tests. */
export type AddressLookup = (name: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: AddressLookup = (name) => lookup(name, { all: true, verbatim: true });

/**
 * Resolves a target once. Adapters must connect to `address` (not to `host`), so that a policy check
 * made on the resolved addresses cannot be bypassed by a second lookup.
 */
export async function resolveTarget(
  host: string,
  subsystem: Subsystem,
  family: IpFamilyPreference = 'auto',
  lookupAddresses: AddressLookup = systemLookup,
): Promise<ResolvedTarget> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const literal = isIP(bare);
  if (literal) {
    if (family !== 'auto' && family !== literal) {
      throw new AdapterError('INVALID_INPUT', subsystem, `${bare} is an IPv${literal} address but ipFamily ${family} was requested`);
    }
    return { host: bare, address: bare, family: literal as 4 | 6, addresses: [bare], dnsMs: 0 };
  }

  const started = performance.now();
  let results: { address: string; family: number }[];
  try {
    results = await lookupAddresses(bare);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
    throw new AdapterError('UNRESOLVABLE', subsystem, `${bare} does not resolve (${code})`, { host: bare });
  }
  const dnsMs = performance.now() - started;
  const wanted = family === 'auto' ? [4, 6] : [family];
  const pick = wanted.map((f) => results.find((r) => r.family === f)).find((r) => r !== undefined);
  if (!pick) {
    throw new AdapterError('UNRESOLVABLE', subsystem, `${bare} has no IPv${family} address`, { host: bare });
  }
  return {
    host: bare,
    address: pick.address,
    family: pick.family as 4 | 6,
    addresses: results.map((r) => r.address),
    dnsMs,
  };
}

export interface ResolveOptions {
  subsystem: Subsystem;
  family?: IpFamilyPreference;
  /** The destination port, for port-scoped policy rules. */
  port?: number;
}

/**
 * Resolves a target and checks every address it resolves to against the target policy before any
 * packet is sent. Odd IPv4 spellings (`0xA9FEA9FE`) are normalized and treated as literals. The
 * unspecified address (a literal, or what a name resolved to) is returned as the loopback address it
 * reaches, so the address the policy allowed is the one adapters connect to.
 */
export class TargetResolver {
  readonly policy: TargetPolicy;
  private readonly lookupAddresses: AddressLookup;
  constructor(
    policy: TargetPolicy = new TargetPolicy(),
    lookupAddresses: AddressLookup = systemLookup,
  ) {
    this.policy = policy;
    this.lookupAddresses = lookupAddresses;
  }

  async resolve(host: string, options: ResolveOptions): Promise<ResolvedTarget> {
    const literal = normalizeAddress(host);
    const resolved = await resolveTarget(literal ? literal.address : host, options.subsystem, options.family ?? 'auto', this.lookupAddresses);
    const target = asReached(resolved);
    for (const address of target.addresses) {
      const decision = this.policy.check(address, options.port);
      if (!decision.allowed) {
        throw new AdapterError('REFUSED_BY_POLICY', options.subsystem, `${host} (${address}) is refused: ${decision.reason}`, {
          rule: decision.rule,
        });
      }
    }
    return { ...target, host: literal ? host : target.host };
  }
}

/** The target with every unspecified address replaced by the loopback address the kernel would deliver it to. */
function asReached(target: ResolvedTarget): ResolvedTarget {
  const reached = reachedAddress(target.address);
  return { ...target, address: reached.address, family: reached.family, addresses: target.addresses.map((a) => reachedAddress(a).address) };
}

function reachedAddress(address: string): { address: string; family: 4 | 6 } {
  const normalized = normalizeAddress(address);
  if (normalized && isUnspecified(normalized)) return { address: LOOPBACK_ADDRESS[normalized.family], family: normalized.family };
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}
