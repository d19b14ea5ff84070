import { createHash } from 'node:crypto';
import type { TrapEvent, TrapPduType, TrapVersion } from '../events/trap-event.ts';
import { PDU_TAGS } from './reply.ts';
import type { DecodedTrap } from './response-decode.ts';
import { TYPE_TAGS, varbindToJson, type OidNamer, type WireVarbind } from './varbind.ts';

/** A notification PDU as net-snmp's Receiver hands it over. */
export interface LibraryNotification {
  type: number;
  varbinds?: WireVarbind[];
  /** v1 Trap-PDU fields. */
  enterprise?: string;
  agentAddr?: string;
  generic?: number;
  specific?: number;
  upTime?: number;
  /** Set by the Receiver's includeAuthentication option: community for v1/v2c, user name for v3. */
  community?: string;
  user?: string;
}

/**
 * The pdu net-snmp's Receiver (includeAuthentication) hands over for a trap, from what our decoder made of
 * it (decodeTrap): the PDU's fields, and the community when it is not empty (the library tests it for truth).
 */
export function trapNotification({ community, pdu }: DecodedTrap): LibraryNotification {
  const notification: LibraryNotification = pdu;
  if (community !== '') notification.community = community;
  return notification;
}

export const SYS_UP_TIME_0 = '1.3.6.1.2.1.1.3.0';
export const SNMP_TRAP_OID_0 = '1.3.6.1.6.3.1.1.4.1.0';
/** snmpTrapAddress.0 (RFC 3584 §3.1): the address of the device a forwarded notification came from. */
export const SNMP_TRAP_ADDRESS_0 = '1.3.6.1.6.3.18.1.3.0';
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';
const ENTERPRISE_SPECIFIC = 6;

/** RFC 3584 §3.1: generic 0–5 → snmpTraps.{generic+1}; enterpriseSpecific (6) → enterprise.0.specific. */
export function v1TrapOid(enterprise: string, genericTrap: number, specificTrap: number): string | undefined {
  if (!Number.isInteger(genericTrap) || genericTrap < 0 || genericTrap > ENTERPRISE_SPECIFIC) return undefined;
  if (genericTrap < ENTERPRISE_SPECIFIC) return `${SNMP_TRAPS}.${genericTrap + 1}`;
  if (!Number.isInteger(specificTrap) || specificTrap < 0) return undefined;
  return `${enterprise.replace(/^\./, '')}.0.${specificTrap}`;
}

export interface DecodeContext {
  /** The MIB resolver, or the receiver's cache in front of it (TrapOidNames). */
  mib: OidNamer;
  source: { address: string; port: number };
  receivedAt: Date;
  includeCommunity: boolean;
}

export type DecodeResult = { ok: true; event: Omit<TrapEvent, 'id'> } | { ok: false; reason: string };

/**
 * Turns a notification PDU into an event. The varbinds are kept as sent: for v2c/v3 they include
 * sysUpTime.0 and snmpTrapOID.0 (as snmptrapd shows them), whose values are also lifted into
 * `uptime` and `trapOid`.
 */
export function notificationToEvent(pdu: LibraryNotification, context: DecodeContext): DecodeResult {
  const pduType = pduTypeName(pdu.type);
  if (!pduType) return { ok: false, reason: `not a notification PDU (type ${pdu.type})` };
  const version: TrapVersion = pduType === 'trap' ? '1' : pdu.user !== undefined ? '3' : '2c';
  const libraryVarbinds = Array.isArray(pdu.varbinds) ? pdu.varbinds : [];

  let header: { trapOid: string; uptime: number; v1?: TrapEvent['v1'] } | undefined;
  if (pduType === 'trap') header = v1Header(pdu);
  else header = v2Header(libraryVarbinds);
  if (!header) return { ok: false, reason: pduType === 'trap' ? 'invalid v1 trap header' : 'sysUpTime.0 or snmpTrapOID.0 missing' };

  const trapName = context.mib.nameOf(header.trapOid);
  const origin = originAddress(libraryVarbinds, header.v1, context.source.address);
  const varbinds = new Array<TrapEvent['varbinds'][number]>(libraryVarbinds.length);
  for (let i = 0; i < libraryVarbinds.length; i++) varbinds[i] = varbindToJson(libraryVarbinds[i], context.mib);
  // Fields in the order the JSON shows them, without the intermediate objects of spreads: one event per datagram.
  const event = { receivedAt: context.receivedAt.toISOString(), source: context.source } as Omit<TrapEvent, 'id'>;
  if (origin !== undefined) event.origin = { address: origin };
  event.version = version;
  event.pduType = pduType;
  if (version === '3') event.user = pdu.user;
  else if (context.includeCommunity && pdu.community !== undefined) event.community = pdu.community;
  event.trapOid = header.trapOid;
  if (trapName !== undefined) event.trapName = trapName;
  event.uptime = header.uptime;
  event.varbinds = varbinds;
  if (header.v1) event.v1 = header.v1;
  return { ok: true, event };
}

/**
 * The device a notification is about when it is not the UDP sender: snmpTrapAddress.0 (an IpAddress
 * varbind, added by forwarders), else a v1 agent-addr other than the sender's (and other than 0.0.0.0).
 */
function originAddress(varbinds: WireVarbind[], v1: TrapEvent['v1'] | undefined, source: string): string | undefined {
  const trapAddress = varbinds.find((vb) => vb.oid === SNMP_TRAP_ADDRESS_0);
  const candidate =
    trapAddress && trapAddress.type === TYPE_TAGS.IpAddress && typeof trapAddress.value === 'string' ? trapAddress.value : v1?.agentAddress;
  if (candidate === undefined || candidate === '' || candidate === '0.0.0.0' || candidate === source) return undefined;
  return candidate;
}

function pduTypeName(type: number): TrapPduType | undefined {
  if (type === PDU_TAGS.trapV1) return 'trap';
  if (type === PDU_TAGS.trapV2) return 'trapV2';
  if (type === PDU_TAGS.informRequest) return 'inform';
  return undefined;
}

function v1Header(pdu: LibraryNotification) {
  const { enterprise, agentAddr, generic, specific, upTime } = pdu;
  if (typeof enterprise !== 'string' || typeof generic !== 'number' || typeof specific !== 'number') return undefined;
  const trapOid = v1TrapOid(enterprise, generic, specific);
  if (trapOid === undefined) return undefined;
  return {
    trapOid,
    uptime: typeof upTime === 'number' ? upTime : 0,
    v1: { enterprise, agentAddress: typeof agentAddr === 'string' ? agentAddr : '', genericTrap: generic, specificTrap: specific },
  };
}

/** RFC 3416 §4.2.6: the first two varbinds are sysUpTime.0 and snmpTrapOID.0; found by OID to be lenient on order. */
function v2Header(varbinds: WireVarbind[]) {
  const uptime = varbinds.find((vb) => vb.oid === SYS_UP_TIME_0);
  const trapOid = varbinds.find((vb) => vb.oid === SNMP_TRAP_OID_0);
  if (!uptime || uptime.type !== TYPE_TAGS.TimeTicks || typeof uptime.value !== 'number') return undefined;
  if (!trapOid || trapOid.type !== TYPE_TAGS.ObjectIdentifier || typeof trapOid.value !== 'string') return undefined;
  return { trapOid: trapOid.value, uptime: uptime.value };
}

/**
 * What makes two notifications the same for duplicate suppression (TRAP_DEDUP_MS): the sender's address,
 * the notification OID and the varbinds without sysUpTime.0 (a sender configured with two receivers
 * sends the same notification to each; an inform sent again is the same too).
 */
export function trapFingerprint(event: Omit<TrapEvent, 'id'>): string {
  const varbinds = event.varbinds.filter((vb) => vb.oid !== SYS_UP_TIME_0);
  return createHash('sha256').update(JSON.stringify([event.source.address, event.trapOid, varbinds])).digest('base64url');
}
