import { isIP } from 'node:net';
import { z } from 'zod';

/** A DNS host name: labels of letters, digits, `-` and `_`, at most 253 characters, an optional final dot. */
export const DNS_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

/** `[2001:db8::1]` → `2001:db8::1`; anything else as is. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** An IP literal (IPv6 with or without brackets) or a DNS name. */
export function isHostOrAddress(host: string): boolean {
  const bare = bareHost(host);
  return isIP(bare) !== 0 || DNS_NAME.test(bare);
}

/** The target of any request that connects somewhere: an IP literal (IPv6 with or without brackets) or a DNS name. */
export const HostSchema = z
  .string()
  .min(1)
  .max(255)
  .refine(isHostOrAddress, 'must be an IPv4 address, an IPv6 address (brackets optional) or a DNS name')
  .meta({ example: '127.0.0.1' });
