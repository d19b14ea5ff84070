import { BlockList, isIP } from 'node:net';
import type { EventFilter } from './trap-bus.ts';
import type { TrapFilterFields, TrapVersion } from './trap-event.ts';

export interface AddressRange {
  address: string;
  prefix: number;
  family: 4 | 6;
}

/** '192.0.2.7', '192.0.2.0/24', '2001:db8::/32', '[2001:db8::1]' → a range; undefined when not one. */
export function parseAddressRange(text: string): AddressRange | undefined {
  const match = /^\[?([^\]/]+)\]?(?:\/(\d{1,3}))?$/.exec(text.trim());
  if (!match) return undefined;
  const family = isIP(match[1]);
  if (family === 0) return undefined;
  const maxPrefix = family === 4 ? 32 : 128;
  const prefix = match[2] === undefined ? maxPrefix : Number(match[2]);
  if (prefix > maxPrefix) return undefined;
  return { address: match[1], prefix, family: family as 4 | 6 };
}

/**
 * A predicate over source addresses. node's BlockList does the matching, including IPv4-mapped IPv6
 * forms (::ffff:192.0.2.7 matches 192.0.2.0/24 and the reverse).
 */
export function sourceMatcher(range: AddressRange): (address: string) => boolean {
  const list = new BlockList();
  list.addSubnet(range.address, range.prefix, range.family === 4 ? 'ipv4' : 'ipv6');
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** True when `oid` equals `prefix` or lies under it: prefixes match whole arcs only (1.3.6.1.2 is not under 1.3.6.1.20). */
export function oidHasPrefix(oid: string, prefix: string): boolean {
  return oid === prefix || (oid.length > prefix.length && oid.startsWith(prefix) && oid[prefix.length] === '.');
}

export interface TrapFilterSpec {
  source?: AddressRange;
  /** Numeric OID prefix (symbolic names are resolved before). */
  trapOid?: string;
  version?: TrapVersion;
}

/** All given conditions must hold; undefined when there are none. */
export function trapFilter(spec: TrapFilterSpec): EventFilter<TrapFilterFields> | undefined {
  const tests: EventFilter<TrapFilterFields>[] = [];
  if (spec.source) {
    const matches = sourceMatcher(spec.source);
    tests.push((fields) => matches(fields.sourceAddress));
  }
  if (spec.trapOid !== undefined) {
    const prefix = spec.trapOid.replace(/^\./, '');
    tests.push((fields) => oidHasPrefix(fields.trapOid, prefix));
  }
  if (spec.version) {
    const version = spec.version;
    tests.push((fields) => fields.version === version);
  }
  if (tests.length === 0) return undefined;
  return (fields) => tests.every((test) => test(fields));
}
