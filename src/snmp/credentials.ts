import { AdapterError } from '../errors.ts';
import { normalizeAddress } from '../net/address.ts';
import { parseCidr, type Cidr } from '../net/cidr.ts';
import type { CredentialProfile, SnmpTarget, SnmpTargetRequest } from './schemas.ts';

const DEFAULTS = { version: '2c', community: 'public', context: '' } as const;

/**
 * Named SNMP credentials from the server's configuration. A request names a profile instead of carrying
 * secrets; a profile may be limited to target CIDRs, checked on the resolved addresses.
 */
export class CredentialProfiles {
  private readonly profiles = new Map<string, { profile: CredentialProfile; targets?: Cidr[] }>();

  constructor(profiles: Record<string, CredentialProfile> = {}) {
    for (const [name, profile] of Object.entries(profiles)) {
      this.profiles.set(name, { profile, targets: profile.targets?.map((cidr) => parseCidr(cidr, `snmp.credentials.${name}.targets`)) });
    }
  }

  /** The request's target with its credentials filled in: from the named profile, or inline with defaults. */
  targetOf(request: SnmpTargetRequest): SnmpTarget {
    const { host, port, timeoutMs, retries } = request;
    if (request.credentials === undefined) {
      return {
        host,
        port,
        timeoutMs,
        retries,
        version: request.version ?? DEFAULTS.version,
        community: request.community ?? DEFAULTS.community,
        user: request.user,
        context: request.context ?? DEFAULTS.context,
      };
    }
    const { profile } = this.lookup(request.credentials);
    return {
      host,
      port,
      timeoutMs,
      retries,
      version: profile.version,
      community: profile.community ?? DEFAULTS.community,
      user: profile.user,
      context: profile.context ?? DEFAULTS.context,
    };
  }

  /** Refuses a profile restricted to CIDRs when any resolved address is outside them. */
  checkAddresses(request: SnmpTargetRequest, addresses: string[]): void {
    if (request.credentials === undefined) return;
    const { targets } = this.lookup(request.credentials);
    if (!targets) return;
    for (const address of addresses) {
      const normalized = normalizeAddress(address);
      if (!normalized || !targets.some((rule) => rule.matches(normalized))) {
        throw new AdapterError(
          'REFUSED_BY_POLICY',
          'snmp',
          `credentials "${request.credentials}" may not be used for ${request.host} (${address}); allowed: ${targets.map((t) => t.text).join(', ')}`,
          { rule: `credentials ${request.credentials}` },
        );
      }
    }
  }

  private lookup(name: string) {
    const entry = this.profiles.get(name);
    if (!entry) {
      const known = [...this.profiles.keys()];
      throw new AdapterError(
        'INVALID_INPUT',
        'snmp',
        `unknown credentials "${name}"; ${known.length ? `configured: ${known.join(', ')}` : 'no credential profiles are configured'}`,
      );
    }
    return entry;
  }
}
