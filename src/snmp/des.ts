import { createCipheriv } from 'node:crypto';
import { loadKoffi } from '../net/libc.ts';

/**
 * SNMPv3 DES privacy without command-line flags.
 *
 * net-snmp 3.29.2 encrypts DES with `crypto.createCipheriv('des-cbc')`, which OpenSSL 3 (Node 17+) refuses unless
 * its legacy provider is loaded (normally `node --openssl-legacy-provider`). The library also ships a pure-JS
 * DES (lib/des.js) but does not use it, and it does not produce standard DES-CBC output (checked against
 * OpenSSL), so it cannot stand in.
 *
 * Node exports its OpenSSL's symbols (for native addons), so this loads the legacy provider into the running
 * process with one FFI call, OSSL_PROVIDER_load(NULL, "legacy") — exactly what --openssl-legacy-provider does
 * at startup. It runs once, when the first DES session is created, so `npm start`, the tests and the container
 * need no flag, NODE_OPTIONS or OpenSSL configuration. The trap receiver should call it too before accepting
 * DES users.
 */

export type DesSupport = 'native' | 'legacy-provider-loaded' | 'unavailable';

let support: DesSupport | undefined;
let failure: string | undefined;

/** Idempotent. Makes des-cbc available to net-snmp when possible and says how. */
export function ensureDesSupport(): DesSupport {
  if (support) return support;
  if (desCbcWorks()) return (support = 'native');
  try {
    const self = loadKoffi().load(null);
    const loadProvider = self.func('void *OSSL_PROVIDER_load(void *libctx, const char *name)');
    // Loading a provider explicitly turns off the implicit default one, so keep it loaded alongside.
    loadProvider(null, 'default');
    if (!loadProvider(null, 'legacy')) failure = 'OSSL_PROVIDER_load(legacy) returned NULL';
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  return (support = desCbcWorks() ? 'legacy-provider-loaded' : 'unavailable');
}

/** Why DES is unavailable (for the startup log), when it is. */
export function desFailureReason(): string | undefined {
  return support === 'unavailable' ? (failure ?? 'des-cbc still refused after loading the legacy provider') : undefined;
}

function desCbcWorks(): boolean {
  try {
    createCipheriv('des-cbc', Buffer.alloc(8), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}
