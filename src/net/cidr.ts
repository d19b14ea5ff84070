import { normalizeAddress, type NormalizedAddress } from './address.ts';

/** An IP network: what target-policy rules, credential-profile targets and trap source filters match. */
export interface Cidr {
  /** As written, e.g. `10.0.0.0/8` or `2001:db8::1`. */
  text: string;
  family: 4 | 6;
  /** How many addresses the network holds (a bigint: an IPv6 /64 holds 2^64). */
  size: bigint;
  matches(address: NormalizedAddress): boolean;
  /** Every address of the network, in order: only for networks of at most `limit` addresses (undefined otherwise). */
  addresses(limit: number): string[] | undefined;
}

/**
 * `192.0.2.0/24`, `2001:db8::/32`, `[::1]`, or a single address (every spelling normalizeAddress takes).
 * Throws an Error saying what is wrong; `context` names the setting or rule in that message.
 */
export function parseCidr(text: string, context = text): Cidr {
  const [addressPart, prefixPart, extra] = text.trim().split('/');
  const network = extra === undefined ? normalizeAddress(addressPart) : undefined;
  if (!network) throw new Error(`"${context}": not an IP address or CIDR`);
  // An IPv4-mapped IPv6 network (::ffff:192.0.2.0/120) is the IPv4 network it maps: its prefix counts 96 bits more.
  const writtenAsIPv6 = addressPart.includes(':');
  const mappedBits = writtenAsIPv6 && network.family === 4 ? 96 : 0;
  const maxPrefix = writtenAsIPv6 ? 128 : 32;
  const written = prefixPart === undefined ? maxPrefix : Number(prefixPart);
  if (prefixPart !== undefined && (!/^\d{1,3}$/.test(prefixPart) || written > maxPrefix || written < mappedBits)) {
    throw new Error(`"${context}": prefix length must be ${mappedBits}..${maxPrefix}`);
  }
  const prefix = written - mappedBits;
  const { family, words } = network;
  const size = 1n << BigInt((family === 4 ? 32 : 128) - prefix);
  return {
    text: text.trim(),
    family,
    size,
    matches: (candidate) => candidate.family === family && prefixMatches(words, candidate.words, prefix),
    addresses: (limit) => (size > BigInt(limit) ? undefined : enumerate(family, words, prefix, Number(size))),
  };
}

/** The same, or undefined instead of an error: for validating input. */
export function tryParseCidr(text: string): Cidr | undefined {
  try {
    return parseCidr(text);
  } catch {
    return undefined;
  }
}

function prefixMatches(network: number[], candidate: number[], prefix: number): boolean {
  let bits = prefix;
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((network[i] & mask) !== (candidate[i] & mask)) return false;
  }
  return true;
}

function enumerate(family: 4 | 6, words: number[], prefix: number, count: number): string[] {
  const bits = family === 4 ? 32 : 128;
  const value = words.reduce((sum, word) => (sum << 16n) | BigInt(word), 0n);
  const hostBits = BigInt(bits - prefix);
  const first = (value >> hostBits) << hostBits;
  return Array.from({ length: count }, (_, i) => formatAddress(family, first + BigInt(i)));
}

function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 0xffn)).join('.');
  const words = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return new URL(`http://[${words.join(':')}]`).hostname.slice(1, -1);
}
