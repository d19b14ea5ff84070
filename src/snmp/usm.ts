import snmp from 'net-snmp';
import type { SnmpUser } from './schemas.ts';

/** net-snmp's user object: numeric level and protocols; keys only where the level uses them. */
export function toLibraryUser(user: SnmpUser): object {
  return {
    name: user.name,
    level: snmp.SecurityLevel[user.level],
    ...(user.level !== 'noAuthNoPriv' && user.authProtocol ? { authProtocol: snmp.AuthProtocols[user.authProtocol], authKey: user.authKey } : {}),
    ...(user.level === 'authPriv' && user.privProtocol ? { privProtocol: snmp.PrivProtocols[user.privProtocol], privKey: user.privKey } : {}),
  };
}
