import { isIP } from 'node:net';

/** IP addresses as the kernel reads them: one canonical form for every spelling a request may use. */

export interface NormalizedAddress {
  address: string;
  family: 4 | 6;
  /** The address as 16-bit words (2 for IPv4, 8 for IPv6), for prefix matching. */
  words: number[];
}

/** The loopback address of each family, as a connection target: where the unspecified address goes. */
export const LOOPBACK_ADDRESS = { 4: '127.0.0.1', 6: '::1' } as const;
const LOOPBACK = { 4: ipv4(LOOPBACK_ADDRESS[4]), 6: fromIPv6(LOOPBACK_ADDRESS[6]) };

export function loopbackOf(family: 4 | 6): NormalizedAddress {
  return LOOPBACK[family];
}

/** 0.0.0.0 or :: (in whatever spelling was normalized): the kernel delivers packets sent there to loopback. */
export function isUnspecified(address: NormalizedAddress): boolean {
  return address.words.every((word) => word === 0);
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
