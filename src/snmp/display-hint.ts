/**
 * Values rendered the way the MIB says (RFC 2579 DISPLAY-HINT, DateAndTime, RFC 4001 InetAddress,
 * TimeTicks as a duration). Pure and total: bytes that do not fit the hint give undefined, never an exception.
 */

interface OctetSpec {
  repeat: boolean;
  length: number;
  format: 'x' | 'd' | 'o' | 'a' | 't';
  separator?: string;
  terminator?: string;
}

const specCache = new Map<string, OctetSpec[] | null>();
const MAX_CACHED_HINTS = 1024;

/** Parses an octet-string DISPLAY-HINT ("1x:", "255a", "2d-1d-1d,1d:1d:1d.1d,1a1d:1d", "*1x:/1x:"); null when malformed. */
function octetSpecs(hint: string): OctetSpec[] | null {
  const cached = specCache.get(hint);
  if (cached !== undefined) return cached;
  const specs: OctetSpec[] = [];
  let i = 0;
  let ok = hint.length > 0;
  while (ok && i < hint.length) {
    const spec: Partial<OctetSpec> = { repeat: false };
    if (hint[i] === '*') {
      spec.repeat = true;
      i++;
    }
    const digits = /^\d+/.exec(hint.slice(i));
    if (!digits) {
      ok = false;
      break;
    }
    spec.length = Number(digits[0]);
    i += digits[0].length;
    const format = hint[i++];
    if (format !== 'x' && format !== 'd' && format !== 'o' && format !== 'a' && format !== 't') {
      ok = false;
      break;
    }
    spec.format = format;
    if (i < hint.length && !/[\d*]/.test(hint[i])) spec.separator = hint[i++];
    if (spec.repeat && i < hint.length && !/[\d*]/.test(hint[i])) spec.terminator = hint[i++];
    specs.push(spec as OctetSpec);
  }
  const result = ok ? specs : null;
  if (specCache.size < MAX_CACHED_HINTS) specCache.set(hint, result);
  return result;
}

/** An OCTET STRING as its DISPLAY-HINT says (hex digits two per octet, lower case); undefined when the hint is malformed. */
export function formatOctets(hint: string, bytes: Uint8Array): string | undefined {
  const specs = octetSpecs(hint);
  if (!specs) return undefined;
  let out = '';
  let pos = 0;
  for (let s = 0; pos < bytes.length; s++) {
    const last = s >= specs.length - 1;
    const spec = specs[last ? specs.length - 1 : s];
    if (last && spec.length === 0) break; // a zero-length last spec would never consume anything
    const count = spec.repeat ? bytes[pos++] : 1;
    for (let r = 0; r < count && pos < bytes.length; r++) {
      const take = Math.min(spec.length, bytes.length - pos);
      out += formatChunk(spec.format, bytes.subarray(pos, pos + take));
      pos += take;
      if (pos >= bytes.length) break;
      if (spec.terminator !== undefined && r === count - 1) out += spec.terminator;
      else if (spec.separator !== undefined) out += spec.separator;
    }
  }
  return out;
}

function formatChunk(format: OctetSpec['format'], chunk: Uint8Array): string {
  switch (format) {
    case 'a':
      return String.fromCharCode(...chunk);
    case 't':
      return Buffer.from(chunk).toString('utf8');
    case 'x': {
      let hex = '';
      for (const b of chunk) hex += b.toString(16).padStart(2, '0');
      return hex;
    }
    default: {
      if (chunk.length === 0) return '';
      let value = 0n;
      for (const b of chunk) value = (value << 8n) | BigInt(b);
      return value.toString(format === 'd' ? 10 : 8);
    }
  }
}

/** An integer as its DISPLAY-HINT says ("d-2" → 12.34, "x", "o", "b"); undefined when the hint is not one of these. */
export function formatInteger(hint: string, value: number): string | undefined {
  const match = /^([dxob])(?:-(\d+))?$/.exec(hint);
  if (!match) return undefined;
  const [, format, places] = match;
  if (format === 'x') return value.toString(16);
  if (format === 'o') return value.toString(8);
  if (format === 'b') return value.toString(2);
  const decimals = places === undefined ? 0 : Number(places);
  if (decimals === 0) return undefined; // plain "d" says nothing beyond the value
  const negative = value < 0;
  const digits = Math.abs(value).toString().padStart(decimals + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** SNMPv2-TC DateAndTime (8 or 11 octets) as ISO 8601; undefined when the octets are not a date. */
export function dateAndTimeToIso(bytes: Uint8Array): string | undefined {
  if (bytes.length !== 8 && bytes.length !== 11) return undefined;
  const year = (bytes[0] << 8) | bytes[1];
  const [month, day, hour, minute, second, deci] = bytes.subarray(2, 8);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || deci > 9) return undefined;
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  const local = `${p(year, 4)}-${p(month)}-${p(day)}T${p(hour)}:${p(minute)}:${p(second)}.${deci}`;
  if (bytes.length === 8) return local;
  const direction = String.fromCharCode(bytes[8]);
  if ((direction !== '+' && direction !== '-') || bytes[9] > 14 || bytes[10] > 59) return undefined;
  return `${local}${direction}${p(bytes[9])}:${p(bytes[10])}`;
}

/** INET-ADDRESS-MIB InetAddressType values. */
export const INET_ADDRESS_TYPES: Readonly<Record<number, string>> = { 0: 'unknown', 1: 'ipv4', 2: 'ipv6', 3: 'ipv4z', 4: 'ipv6z', 16: 'dns' };

/** An InetAddress by its InetAddressType (RFC 4001), or by its length when the type is not known; undefined when they disagree. */
export function inetAddressText(bytes: Uint8Array, type?: number): string | undefined {
  const kind = type ?? ({ 4: 1, 16: 2, 8: 3, 20: 4 } as Record<number, number>)[bytes.length];
  const zone = (at: number) => ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
  switch (kind) {
    case 1:
      return bytes.length === 4 ? ipv4Text(bytes) : undefined;
    case 2:
      return bytes.length === 16 ? ipv6Text(bytes) : undefined;
    case 3:
      return bytes.length === 8 ? `${ipv4Text(bytes)}%${zone(4)}` : undefined;
    case 4:
      return bytes.length === 20 ? `${ipv6Text(bytes)}%${zone(16)}` : undefined;
    case 16:
      return Buffer.from(bytes).toString('latin1');
    case 0:
      return bytes.length === 0 ? '' : undefined;
    default:
      return undefined;
  }
}

export function ipv4Text(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups as "::". */
export function ipv6Text(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** TimeTicks (hundredths of a second) as an ISO 8601 duration: 8640123 → "P1DT0.23S"… e.g. "P3DT4H5M6.78S". */
export function timeTicksDuration(ticks: number): string {
  const days = Math.floor(ticks / 8_640_000);
  let rest = ticks - days * 8_640_000;
  const hours = Math.floor(rest / 360_000);
  rest -= hours * 360_000;
  const minutes = Math.floor(rest / 6_000);
  rest -= minutes * 6_000;
  const seconds = rest / 100;
  let time = '';
  if (hours > 0) time += `${hours}H`;
  if (minutes > 0) time += `${minutes}M`;
  if (seconds > 0 || (time === '' && days === 0)) time += `${Number.isInteger(seconds) ? seconds : seconds.toFixed(2)}S`;
  return `P${days > 0 ? `${days}D` : ''}${time === '' ? '' : `T${time}`}`;
}
