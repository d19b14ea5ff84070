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

/**
 * net-snmp caches every localized key it computes, per engine ID, for ever (Authentication.authToKeyCache).
 * An engine ID is chosen by whoever sends a v3 message: a sender without any key, naming a configured user
 * and a new engine ID in each datagram, would grow the cache without bound. This forgets it all past `max`
 * entries (a forgotten key is computed again when next needed: about a millisecond). Called now and then.
 */
export const LIBRARY_KEY_CACHE_MAX = 1_000;

export function boundLibraryKeyCache(max = LIBRARY_KEY_CACHE_MAX): void {
  const cache = snmp.Authentication.authToKeyCache as Record<string, Buffer>;
  const keys = Object.keys(cache);
  if (keys.length > max) for (const key of keys) delete cache[key];
}
