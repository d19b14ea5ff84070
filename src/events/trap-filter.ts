import type { Cidr } from '../net/cidr.ts';
import type { EventFilter } from './trap-bus.ts';
import type { TrapFilterFields, TrapVersion } from './trap-event.ts';

/** True when `oid` equals `prefix` or lies under it: prefixes match whole arcs only (1.3.6.1.2 is not under 1.3.6.1.20). */
export function oidHasPrefix(oid: string, prefix: string): boolean {
  return oid === prefix || (oid.length > prefix.length && oid.startsWith(prefix) && oid[prefix.length] === '.');
}

export interface TrapFilterSpec {
  /** The sender's address is in this network. */
  source?: Cidr;
  /** The origin address (snmpTrapAddress.0, or a v1 agent-addr other than the sender) is in this network; events without one never match. */
  origin?: Cidr;
  /** Numeric OID prefix (symbolic names are resolved before). */
  trapOid?: string;
  version?: TrapVersion;
}

/** All given conditions must hold; undefined when there are none. */
export function trapFilter(spec: TrapFilterSpec): EventFilter<TrapFilterFields> | undefined {
  const tests: EventFilter<TrapFilterFields>[] = [];
  if (spec.source) {
    const { matches } = spec.source;
    tests.push((fields) => fields.source !== undefined && matches(fields.source));
  }
  if (spec.origin) {
    const { matches } = spec.origin;
    tests.push((fields) => fields.origin !== undefined && matches(fields.origin));
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
