import { AdapterError } from '../errors.ts';
import type { BaseType, MibNode } from './mib-index.ts';
import type { MibResolver } from './mib.ts';
import { setValueProblem, type SnmpSetVarbind } from './schemas.ts';
import type { SetTypeName } from './varbind.ts';

/** The SET type a SYNTAX's base type is written as (BITS travel as an OCTET STRING). */
const SET_TYPE_OF_BASE: Partial<Record<BaseType, SetTypeName>> = {
  Integer32: 'Integer',
  Unsigned32: 'Unsigned32',
  Counter32: 'Counter32',
  Gauge32: 'Gauge32',
  Counter64: 'Counter64',
  TimeTicks: 'TimeTicks',
  IpAddress: 'IpAddress',
  NetworkAddress: 'IpAddress',
  Opaque: 'Opaque',
  OctetString: 'OctetString',
  Bits: 'OctetString',
  ObjectIdentifier: 'ObjectIdentifier',
};

export interface TypedSetVarbind {
  oid: string;
  type: SetTypeName;
  value: SnmpSetVarbind['value'];
}

/**
 * A SET varbind with its type: as given, or, as snmpset's `=` does, from the object's SYNTAX in the loaded
 * MIBs; an INTEGER with named numbers then also takes the name. `position` places errors in the request.
 */
export function typedSetVarbind(vb: SnmpSetVarbind, numericOid: string, mib: MibResolver, position: number): TypedSetVarbind {
  if (vb.type !== undefined) return { oid: numericOid, type: vb.type, value: vb.value };
  const node = mib.lookup(numericOid)?.node;
  const type = node?.syntax && SET_TYPE_OF_BASE[node.syntax.base];
  if (!node || !type) throw invalid(position, 'type', `give a type: ${untypedReason(vb.oid, node)}`);
  const value = type === 'Integer' && typeof vb.value === 'string' ? namedNumber(node, vb.value) ?? vb.value : vb.value;
  const problem = setValueProblem(type, value);
  if (problem) throw invalid(position, 'value', `${node.qualified} is ${node.syntax?.name} (${type}): ${problem}${enumHint(node)}`);
  return { oid: numericOid, type, value };
}

function namedNumber(node: MibNode, name: string): number | undefined {
  for (const [number, label] of node.syntax?.enums ?? []) if (label === name) return number;
  return undefined;
}

function enumHint(node: MibNode): string {
  const enums = node.syntax?.enums;
  return enums ? `, or one of ${[...enums].map(([number, name]) => `${name}(${number})`).join(', ')}` : '';
}

function untypedReason(oid: string, node: MibNode | undefined): string {
  if (!node) return `no loaded MIB describes ${oid}`;
  if (!node.syntax) return `no loaded MIB describes ${oid} as an object (the nearest known node is ${node.qualified}, an ${node.macro})`;
  const { name, entryType } = node.syntax;
  return `${node.qualified} is ${entryType ? `${name} ${entryType}` : name}, which has no SET type`;
}

function invalid(position: number, field: 'type' | 'value', message: string): AdapterError {
  return new AdapterError('VALIDATION', 'snmp', message, {}, { fieldIssues: [{ path: ['varbinds', position, field], message }] });
}
