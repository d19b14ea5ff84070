import { isIP } from 'node:net';
import { z } from 'zod';
import { parseLooseIPv4 } from './address.ts';

/** A DNS host name: labels of letters, digits, `-` and `_`, at most 253 characters, an optional final dot. */
export const DNS_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

/** `[2001:db8::1]` → `2001:db8::1`; anything else as is. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * An IP literal (IPv6 with or without brackets) or a DNS name. Digits and dots alone are an IPv4 address or
 * nothing (300.1.1.1 is not a name to look up); inet_aton's short forms (127.1, 2130706433) are addresses.
 */
export function isHostOrAddress(host: string): boolean {
  const bare = bareHost(host);
  if (isIP(bare) !== 0) return true;
  if (/^[\d.]+$/.test(bare)) return parseLooseIPv4(bare) !== undefined;
  return DNS_NAME.test(bare);
}

/** Why `host` is not a host, in the words that help: the port written into it, or a number that is no address. */
export function hostProblem(host: string): string | undefined {
  if (isHostOrAddress(host)) return undefined;
  const withPort = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(host);
  if (withPort && isHostOrAddress(withPort[1])) {
    return `give the port on its own: { "host": "${withPort[1]}", "port": ${Number(withPort[2])} }`;
  }
  if (/^[\d.]+$/.test(host)) return `${host} is not an IPv4 address (four numbers from 0 to 255)`;
  return 'must be an IPv4 address, an IPv6 address (brackets optional) or a DNS name';
}

/** The target of any request that connects somewhere: an IP literal (IPv6 with or without brackets) or a DNS name. */
export const HostSchema = z
  .string()
  .min(1)
  .max(255)
  .superRefine((host, ctx) => {
    const problem = hostProblem(host);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ example: '127.0.0.1' });
