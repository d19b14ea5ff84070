import { z } from 'zod';
import { normalizeAddress, type NormalizedAddress } from '../net/address.ts';
import { VarbindJsonSchema } from '../snmp/schemas.ts';
import type { KeyCodec } from './redis-engine.ts';
import { EventIdSchema } from './schemas.ts';
import type { EventBus } from './trap-bus.ts';

export const TRAP_VERSIONS = ['1', '2c', '3'] as const;
export const TRAP_PDU_TYPES = ['trap', 'trapV2', 'inform'] as const;

/** One received notification, as stored in the bus and sent to clients (the SSE `data:`). */
export const TrapEventSchema = z
  .object({
    id: EventIdSchema,
    receivedAt: z.string().meta({ format: 'date-time', example: '2026-11-28T10:53:30.744Z' }),
    source: z
      .object({ address: z.string().meta({ example: '192.0.2.10' }), port: z.number().int() })
      .meta({ description: 'Where the datagram came from (the UDP sender: a device, or a trap forwarder / NAT in front of it)' }),
    origin: z
      .object({ address: z.string().meta({ example: '192.0.2.7' }) })
      .optional()
      .meta({
        description:
          'The device the notification is about, when it differs from `source`: the value of snmpTrapAddress.0 (1.3.6.1.6.3.18.1.3.0, set by forwarders such as snmptrapd), or the SNMPv1 agent-addr when it is not the UDP sender. Declared by the sender, not verified.',
      }),
    version: z.enum(TRAP_VERSIONS),
    pduType: z.enum(TRAP_PDU_TYPES).meta({ description: 'trap: SNMPv1 Trap-PDU; trapV2: SNMPv2-Trap-PDU; inform: InformRequest (acknowledged)' }),
    community: z.string().optional().meta({ description: 'v1/v2c community; only when TRAP_INCLUDE_COMMUNITY is on (it is a secret)' }),
    user: z.string().optional().meta({ description: 'SNMPv3 USM user name' }),
    trapOid: z.string().meta({
      description: 'Numeric notification OID. v2c/v3: the value of snmpTrapOID.0. v1: derived as RFC 3584 §3.1 specifies (generic 0–5 → 1.3.6.1.6.3.1.1.5.{generic+1}; enterpriseSpecific → enterprise.0.specific)',
      example: '1.3.6.1.6.3.1.1.5.3',
    }),
    trapName: z.string().optional().meta({ example: 'IF-MIB::linkDown', description: 'MIB name of trapOid, when known' }),
    uptime: z.number().int().meta({ description: "Sender's sysUpTime in hundredths of a second (v2c/v3: the value of sysUpTime.0; v1: time-stamp)" }),
    varbinds: z.array(VarbindJsonSchema).meta({
      description: 'The varbinds as sent. For v2c/v3 they start with sysUpTime.0 and snmpTrapOID.0, as snmptrapd shows them.',
    }),
    v1: z
      .object({
        enterprise: z.string(),
        agentAddress: z.string(),
        genericTrap: z.number().int(),
        specificTrap: z.number().int(),
      })
      .optional()
      .meta({ description: 'The SNMPv1 Trap-PDU header fields (v1 only)' }),
  })
  .meta({ id: 'TrapEvent' });

export type TrapEvent = z.output<typeof TrapEventSchema>;
export type TrapVersion = TrapEvent['version'];
export type TrapPduType = TrapEvent['pduType'];

/** The fields trap filters test: all the bus keeps of an event besides its JSON. */
export interface TrapFilterFields {
  /** The sender's address, normalized once at publish so that every filter compares words. */
  source: NormalizedAddress | undefined;
  /** The origin address (snmpTrapAddress.0 or the v1 agent-addr), when the event has one. */
  origin?: NormalizedAddress | undefined;
  trapOid: string;
  version: TrapVersion;
}

export function trapFilterFields(event: Omit<TrapEvent, 'id'>): TrapFilterFields {
  const fields: TrapFilterFields = { source: normalizedSource(event.source.address), trapOid: event.trapOid, version: event.version };
  if (event.origin) fields.origin = normalizedSource(event.origin.address);
  return fields;
}

/** Senders' addresses as normalized last, by their text: a few devices send most traps, and each replica reads every event. */
const normalizedSources = new Map<string, NormalizedAddress | undefined>();
const NORMALIZED_SOURCES_MAX = 4_096;

function normalizedSource(address: string): NormalizedAddress | undefined {
  if (normalizedSources.has(address)) return normalizedSources.get(address);
  if (normalizedSources.size >= NORMALIZED_SOURCES_MAX) normalizedSources.clear();
  const normalized = normalizeAddress(address);
  normalizedSources.set(address, normalized);
  return normalized;
}

/**
 * The filter fields as written beside each event in the Redis stream: `<version> <trapOid> <source address>`,
 * then ` <origin address>` when the event has one (entries written without it still decode).
 */
export const trapKeyCodec: KeyCodec<TrapFilterFields> = {
  encode: (key) => `${key.version} ${key.trapOid} ${key.source?.address ?? ''}${key.origin ? ` ${key.origin.address}` : ''}`,
  decode(text) {
    const [version, trapOid, address, origin, ...rest] = text.split(' ');
    if (rest.length > 0 || !(TRAP_VERSIONS as readonly string[]).includes(version) || !/^\d+(\.\d+)*$/.test(trapOid ?? '')) return undefined;
    if (address === undefined || address.length > 64 || (origin !== undefined && (origin === '' || origin.length > 64))) return undefined;
    const key: TrapFilterFields = { version: version as TrapVersion, trapOid, source: address === '' ? undefined : normalizedSource(address) };
    if (origin !== undefined) {
      key.origin = normalizedSource(origin);
      if (key.origin === undefined) return undefined;
    }
    return key;
  },
};

/** The bus the trap receiver publishes to and the trap routes read from. */
export type TrapBus = EventBus<TrapEvent, TrapFilterFields>;
