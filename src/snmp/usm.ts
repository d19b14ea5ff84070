import snmp from 'net-snmp';
import type { SnmpUserConfig } from '../config.ts';

/** The USM user fields shared by request users, credential profiles and trap receiver users. */
export type UsmUser = Pick<SnmpUserConfig, 'name' | 'level' | 'authProtocol' | 'authKey' | 'privProtocol' | 'privKey'>;

/** net-snmp's user object: numeric level and protocols; keys only where the level uses them. */
export function toLibraryUser(user: UsmUser): object {
  return {
    name: user.name,
    level: snmp.SecurityLevel[user.level],
    ...(user.level !== 'noAuthNoPriv' && user.authProtocol ? { authProtocol: snmp.AuthProtocols[user.authProtocol], authKey: user.authKey } : {}),
    ...(user.level === 'authPriv' && user.privProtocol ? { privProtocol: snmp.PrivProtocols[user.privProtocol], privKey: user.privKey } : {}),
  };
}
