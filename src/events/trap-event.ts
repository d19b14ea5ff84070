import type { VarbindJson } from '../snmp/varbind.ts';

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
