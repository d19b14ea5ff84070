import snmp from 'net-snmp';
import type { SnmpUser } from './schemas.ts';

/** net-snmp's user object. */
export interface LibraryUser {
  name: string;
  level: number;
  authProtocol?: number;
  authKey?: string;
  privProtocol?: number;
  privKey?: string;
}

/** net-snmp's user object: numeric level and protocols; keys only where the level uses them. */
export function toLibraryUser(user: SnmpUser): LibraryUser {
  return {
    name: user.name,
    level: snmp.SecurityLevel[user.level],
    ...(user.level !== 'noAuthNoPriv' && user.authProtocol ? { authProtocol: snmp.AuthProtocols[user.authProtocol], authKey: user.authKey } : {}),
    ...(user.level === 'authPriv' && user.privProtocol ? { privProtocol: snmp.PrivProtocols[user.privProtocol], privKey: user.privKey } : {}),
  };
}
