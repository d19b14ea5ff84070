import { isIP } from 'node:net';
import { z } from '@hono/zod-openapi';
import { parseNumericOid } from '../snmp/oid.ts';

/* ------------------------------------------------------------------ varbinds (responses, traps) */

export const VARBIND_TYPE_NAMES = [
  'Boolean',
  'Integer',
  'OctetString',
  'Null',
  'ObjectIdentifier',
  'IpAddress',
  'Counter32',
  'Gauge32',
  'TimeTicks',
  'Opaque',
  'Counter64',
  'Unsigned32',
  'NoSuchObject',
  'NoSuchInstance',
  'EndOfMibView',
] as const;

export const VarbindJsonSchema = z
  .object({
    oid: z.string().openapi({ example: '1.3.6.1.2.1.1.5.0', description: 'Numeric OID, no leading dot' }),
    name: z
      .string()
      .optional()
      .openapi({ example: 'SNMPv2-MIB::sysName.0', description: 'Longest known MIB prefix plus the instance suffix; absent when no loaded MIB knows the OID' }),
    type: z.enum(VARBIND_TYPE_NAMES),
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]).openapi({
      example: 'router1',
      description:
        'Integer/Counter32/Gauge32/TimeTicks: number; Counter64: decimal string; OctetString: text, or hex when not printable UTF-8 (then `encoding` is "hex"); ObjectIdentifier: dotted; IpAddress: dotted; Opaque: hex; NoSuchObject/NoSuchInstance/EndOfMibView: null',
    }),
    encoding: z.literal('hex').optional().openapi({ description: 'Present when `value` is hex-encoded bytes' }),
    valueName: z.string().optional().openapi({ description: 'MIB name of an ObjectIdentifier value, when known' }),
  })
  .openapi('Varbind');

/* ------------------------------------------------------------------ request pieces */

const MAX_UINT32 = 4_294_967_295;
const MAX_UINT64 = 18_446_744_073_709_551_615n;
const DNS_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const SYMBOLIC_OID = /^([A-Za-z][\w-]*::)?[A-Za-z][\w-]*(\.\d+)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

const OID_FORMAT = 'must be a numeric OID (1.3.6.1.2.1.1.5.0) or a MIB name (SNMPv2-MIB::sysName.0, sysName.0)';

/**
 * Why `value` is neither a valid numeric OID (src/snmp/oid.ts) nor shaped like a MIB name; undefined when
 * it is one of them. Whether a name exists, and whether name plus suffix is valid, the MIB resolver decides.
 */
function oidProblem(value: string, formatMessage: string): string | undefined {
  const numeric = parseNumericOid(value);
  if (numeric) return numeric.problem;
  return SYMBOLIC_OID.test(value) ? undefined : formatMessage;
}

export const OidSchema = z
  .string()
  .min(1)
  .max(1024)
  .superRefine((value, ctx) => {
    const problem = oidProblem(value, OID_FORMAT);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({ example: 'SNMPv2-MIB::sysName.0' });

const HostSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((v) => isIP(v.replace(/^\[(.*)\]$/, '$1')) !== 0 || DNS_NAME.test(v), {
    message: 'must be an IPv4 address, an IPv6 address or a DNS name',
  })
  .openapi({ example: '192.0.2.1' });

const secret = (what: string) =>
  z
    .string()
    .min(8, `${what} must be at least 8 characters (RFC 3414)`)
    .max(256)
    .openapi({ description: `${what}; never logged nor echoed`, format: 'password' });

export const SnmpUserSchema = z
  .object({
    name: z.string().min(1).max(32),
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']).default('noAuthNoPriv'),
    authProtocol: z.enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']).optional(),
    authKey: secret('authKey').optional(),
    privProtocol: z
      .enum(['des', 'aes', 'aes256b', 'aes256r'])
      .optional()
      .openapi({ description: 'aes = AES-128; aes256b / aes256r = AES-256 with Blumenthal / Reeder key extension' }),
    privKey: secret('privKey').optional(),
  })
  .strict()
  .superRefine((user, ctx) => {
    if (user.level === 'noAuthNoPriv') return;
    if (!user.authProtocol) ctx.addIssue({ code: 'custom', path: ['authProtocol'], message: `is required for level ${user.level}` });
    if (!user.authKey) ctx.addIssue({ code: 'custom', path: ['authKey'], message: `is required for level ${user.level}` });
    if (user.level !== 'authPriv') return;
    if (!user.privProtocol) ctx.addIssue({ code: 'custom', path: ['privProtocol'], message: 'is required for level authPriv' });
    if (!user.privKey) ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'is required for level authPriv' });
  })
  .openapi('SnmpUser');

const targetShape = {
  host: HostSchema,
  port: z.number().int().min(1).max(65535).default(161),
  credentials: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be the name of a configured credential profile')
    .optional()
    .openapi({ description: 'Name of a credential profile configured on the server (snmp.credentials), used instead of version/community/user/context', example: 'core' }),
  version: z.enum(['1', '2c', '3']).optional().openapi({ default: '2c' }),
  community: z.string().min(1).max(255).optional().openapi({ description: 'v1/v2c community; never logged nor echoed', format: 'password', default: 'public' }),
  user: SnmpUserSchema.optional().openapi({ description: 'Required for version 3' }),
  context: z.string().max(255).optional().openapi({ description: 'v3 context name', default: '' }),
  timeoutMs: z.number().int().min(10).max(60_000).default(2000).openapi({ description: 'Per attempt' }),
  retries: z.number().int().min(0).max(10).default(1),
};

const INLINE_CREDENTIALS = ['version', 'community', 'user', 'context'] as const;

function requireUserForV3(body: { version?: string; user?: unknown; credentials?: string } & Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (body.credentials !== undefined) {
    for (const field of INLINE_CREDENTIALS) {
      if (body[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'give either credentials (a server profile) or inline credentials, not both' });
      }
    }
    return;
  }
  if (body.version === '3' && body.user === undefined) {
    ctx.addIssue({ code: 'custom', path: ['user'], message: 'is required for version 3' });
  }
}

const oidList = z.array(OidSchema).min(1).max(128);

export const SnmpGetRequestSchema = z
  .object({ ...targetShape, oids: oidList })
  .strict()
  .superRefine(requireUserForV3)
  .openapi('SnmpGetRequest', { example: { host: '192.0.2.1', community: 'public', oids: ['SNMPv2-MIB::sysName.0', '1.3.6.1.2.1.1.3.0'] } });

export const SnmpBulkRequestSchema = z
  .object({
    ...targetShape,
    oids: oidList,
    nonRepeaters: z.number().int().min(0).max(128).default(0),
    maxRepetitions: z.number().int().min(1).max(1000).default(10),
  })
  .strict()
  .superRefine((body, ctx) => {
    requireUserForV3(body, ctx);
    if (body.version === '1') ctx.addIssue({ code: 'custom', path: ['version'], message: 'GETBULK does not exist in SNMPv1; use 2c or 3' });
    if (body.nonRepeaters > body.oids.length) {
      ctx.addIssue({ code: 'custom', path: ['nonRepeaters'], message: 'must not exceed the number of oids' });
    }
  })
  .openapi('SnmpBulkRequest');

export const SnmpWalkRequestSchema = z
  .object({
    ...targetShape,
    oid: OidSchema.openapi({ description: 'Root of the subtree to walk', example: 'IF-MIB::ifTable' }),
    maxRepetitions: z.number().int().min(1).max(1000).default(25),
    maxVarbinds: z
      .number()
      .int()
      .min(1)
      .default(10_000)
      .openapi({ description: 'Stop after this many varbinds (then `truncated` is true); bounded by the server limit SNMP_MAX_VARBINDS' }),
  })
  .strict()
  .superRefine(requireUserForV3)
  .openapi('SnmpWalkRequest');

export const SET_TYPES = [
  'Integer',
  'OctetString',
  'ObjectIdentifier',
  'IpAddress',
  'Counter32',
  'Gauge32',
  'TimeTicks',
  'Opaque',
  'Counter64',
  'Unsigned32',
] as const;
export type SetTypeName = (typeof SET_TYPES)[number];

const HexValueSchema = z.object({ hex: z.string().max(131_072) }).strict();

export const SetVarbindSchema = z
  .object({
    oid: OidSchema,
    type: z.enum(SET_TYPES),
    value: z
      .union([z.string().max(65_535), z.number(), HexValueSchema])
      .openapi({ description: 'Integer types: number; Counter64: decimal string; OctetString: text or { "hex": "0a1b" }; Opaque: { "hex": … }; ObjectIdentifier: dotted; IpAddress: dotted IPv4' }),
  })
  .strict()
  .superRefine((vb, ctx) => {
    const problem = setValueProblem(vb.type, vb.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  })
  .openapi('SnmpSetVarbind', { example: { oid: 'SNMPv2-MIB::sysContact.0', type: 'OctetString', value: 'noc@example.net' } });

export const SnmpSetRequestSchema = z
  .object({ ...targetShape, community: targetShape.community, varbinds: z.array(SetVarbindSchema).min(1).max(128) })
  .strict()
  .superRefine(requireUserForV3)
  .openapi('SnmpSetRequest');

/** Why a set value does not fit its type, or undefined when it does. */
export function setValueProblem(type: SetTypeName, value: unknown): string | undefined {
  const integerIn = (min: number, max: number) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `${type} must be an integer from ${min} to ${max}`;
  switch (type) {
    case 'Integer':
      return integerIn(-2_147_483_648, 2_147_483_647);
    case 'Counter32':
    case 'Gauge32':
    case 'Unsigned32':
    case 'TimeTicks':
      return integerIn(0, MAX_UINT32);
    case 'Counter64':
      return typeof value === 'string' && /^\d{1,20}$/.test(value) && BigInt(value) <= MAX_UINT64
        ? undefined
        : 'Counter64 must be a decimal string from "0" to "18446744073709551615"';
    case 'OctetString':
      if (typeof value === 'string') return undefined;
      return isHexValue(value) ? undefined : 'OctetString must be text or { "hex": "0a1b…" } (an even number of hex digits)';
    case 'Opaque':
      return isHexValue(value) ? undefined : 'Opaque must be { "hex": "0a1b…" } (an even number of hex digits)';
    case 'ObjectIdentifier': {
      const format = 'ObjectIdentifier must be a dotted OID such as 1.3.6.1.4.1.8072, or a MIB name';
      return typeof value === 'string' ? oidProblem(value, format) : format;
    }
    case 'IpAddress':
      return typeof value === 'string' && IPV4.test(value) ? undefined : 'IpAddress must be a dotted IPv4 address';
  }
}

function isHexValue(value: unknown): value is { hex: string } {
  return typeof value === 'object' && value !== null && typeof (value as { hex?: unknown }).hex === 'string' && HEX.test((value as { hex: string }).hex);
}

export type SnmpUser = z.infer<typeof SnmpUserSchema>;
export type SnmpGetRequest = z.infer<typeof SnmpGetRequestSchema>;
export type SnmpBulkRequest = z.infer<typeof SnmpBulkRequestSchema>;
export type SnmpWalkRequest = z.infer<typeof SnmpWalkRequestSchema>;
export type SnmpSetRequest = z.infer<typeof SnmpSetRequestSchema>;
export type SnmpSetVarbind = z.infer<typeof SetVarbindSchema>;
/** The target fields of any SNMP request, as validated (credentials may still be a profile name). */
export type SnmpTargetRequest = Pick<SnmpGetRequest, 'host' | 'port' | 'credentials' | 'version' | 'community' | 'user' | 'context' | 'timeoutMs' | 'retries'>;

/** A target with its credentials settled: what a session is made from. */
export interface SnmpTarget {
  host: string;
  port: number;
  version: '1' | '2c' | '3';
  community: string;
  user?: SnmpUser;
  context: string;
  timeoutMs: number;
  retries: number;
}

/* ------------------------------------------------------------------ responses */

export const SnmpVarbindsResponseSchema = z
  .object({
    varbinds: z.array(VarbindJsonSchema),
    elapsedMs: z.number().openapi({ description: 'Time spent on the SNMP exchange, including DNS' }),
  })
  .openapi('SnmpVarbindsResponse');

export const WALK_STOP_REASONS = ['endOfSubtree', 'endOfMibView', 'nonIncreasingOid', 'maxVarbinds'] as const;

export const SnmpWalkResponseSchema = z
  .object({
    varbinds: z.array(VarbindJsonSchema),
    elapsedMs: z.number(),
    truncated: z.boolean().openapi({ description: 'True when maxVarbinds stopped the walk before the end of the subtree' }),
    stopReason: z.enum(WALK_STOP_REASONS).openapi({ description: 'Why the walk ended' }),
    nonIncreasingOid: z
      .object({ previous: z.string(), received: z.string() })
      .optional()
      .openapi({ description: 'Present when the agent returned an OID not after the previous one; the walk stops there instead of looping' }),
  })
  .openapi('SnmpWalkResponse');
