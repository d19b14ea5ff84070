import type { VarbindJson } from '../snmp/varbind.ts';
import type { EventBus } from './trap-bus.ts';

export type TrapVersion = '1' | '2c' | '3';
export type TrapPduType = 'trap' | 'trapV2' | 'inform';

/** One received notification, as stored in the bus and sent to clients. */
export interface TrapEvent {
  /** Sequence id assigned by the bus: monotonically increasing within one run of the service. */
  id: number;
  receivedAt: string;
  source: { address: string; port: number };
  version: TrapVersion;
  pduType: TrapPduType;
  /** Only when TRAP_INCLUDE_COMMUNITY is on (it is a secret). */
  community?: string;
  /** v3 USM user name. */
  user?: string;
  /** Numeric; for v1 derived as RFC 3584 §3.1 specifies. */
  trapOid: string;
  trapName?: string;
  /** sysUpTime of the sender, in hundredths of a second. */
  uptime: number;
  varbinds: VarbindJson[];
  v1?: { enterprise: string; agentAddress: string; genericTrap: number; specificTrap: number };
}

/** The fields trap filters test: all the bus keeps of an event besides its JSON. */
export interface TrapFilterFields {
  sourceAddress: string;
  trapOid: string;
  version: TrapVersion;
}

export function trapFilterFields(event: TrapEvent): TrapFilterFields {
  return { sourceAddress: event.source.address, trapOid: event.trapOid, version: event.version };
}

/** The bus the trap receiver publishes to and the trap routes read from. */
export type TrapBus = EventBus<TrapEvent, TrapFilterFields>;
