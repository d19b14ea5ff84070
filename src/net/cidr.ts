import { normalizeAddress, type NormalizedAddress } from './address.ts';

/** An IP network: what target-policy rules, credential-profile targets and trap source filters match. */
export interface Cidr {
  /** As written, e.g. `10.0.0.0/8` or `2001:db8::1`. */
  text: string;
  family: 4 | 6;
  matches(address: NormalizedAddress): boolean;
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
  return { text: text.trim(), family, matches: (candidate) => candidate.family === family && prefixMatches(words, candidate.words, prefix) };
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
