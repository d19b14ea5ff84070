import { z } from 'zod';
import { parseCidr } from '../net/cidr.ts';
import { HostSchema } from '../net/host.ts';
import { MIB_SOURCES } from './mib-index.ts';
import { parseNumericOid } from './oid.ts';
import { WALK_STOP_REASONS } from './walk.ts';
import { SET_TYPES, VARBIND_TYPE_NAMES, type SetTypeName } from './varbind.ts';

/**
 * The SNMP area's shapes: requests, credentials (shared with the configuration), varbinds and results.
 * Plain zod documented with .meta(), built from the adapter's own constants; every TypeScript type of the
 * area is inferred from these.
 */

/* ------------------------------------------------------------------ varbinds (responses, traps) */

export const VarbindJsonSchema = z
  .object({
    oid: z.string().meta({ example: '1.3.6.1.2.1.1.5.0', description: 'Numeric OID, no leading dot' }),
    name: z
      .string()
      .optional()
      .meta({ example: 'SNMPv2-MIB::sysName.0', description: 'Longest known MIB prefix plus the instance suffix; absent when no loaded MIB knows the OID' }),
    type: z.enum(VARBIND_TYPE_NAMES),
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]).meta({
      example: 'router1',
      description:
        'Integer/Counter32/Gauge32/TimeTicks: number; Counter64: decimal string; OctetString: text, or hex when not printable UTF-8 (then `encoding` is "hex"); ObjectIdentifier: dotted; IpAddress: dotted; Opaque: hex; NoSuchObject/NoSuchInstance/EndOfMibView: null',
    }),
    encoding: z.literal('hex').optional().meta({ description: 'Present when `value` is hex-encoded bytes' }),
    valueName: z.string().optional().meta({ description: 'MIB name of an ObjectIdentifier value, when known' }),
    enum: z.string().optional().meta({ example: 'up', description: "The MIB's name for an enumerated INTEGER value (ifOperStatus 1 → up)" }),
    bits: z.array(z.string()).optional().meta({ description: 'BITS: the names of the bits that are set' }),
    display: z.string().optional().meta({
      example: '02:fc:00:00:00:01',
      description:
        "The value as the MIB's textual convention shows it, when that differs from `value`: DISPLAY-HINT (MacAddress/PhysAddress aa:bb:…, InetAddressIPv6…), DateAndTime as ISO 8601, InetAddress as an address",
    }),
    duration: z.string().optional().meta({ example: 'P3DT4H5M6.78S', description: 'TimeTicks also as an ISO 8601 duration' }),
  })
  .meta({ id: 'Varbind' });

/* ------------------------------------------------------------------ OIDs */

const SYMBOLIC_OID = /^([A-Za-z][\w-]*::)?[A-Za-z][\w-]*(\.\d+)*$/;
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

const oidString = () =>
  z
    .string()
    .min(1)
    .max(1024)
    .superRefine((value, ctx) => {
      const problem = oidProblem(value, OID_FORMAT);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

export const OidSchema = oidString().meta({ example: 'SNMPv2-MIB::sysName.0' });

/** The same check, without an example: for optional filters, which an example would fill in (and narrow) in Swagger UI. */
export const OidFilterSchema = oidString();

/* ------------------------------------------------------------------ credentials (requests, profiles, trap users) */

const secret = (what: string) =>
  z
    .string()
    .min(8, `${what} must be at least 8 characters (RFC 3414)`)
    .max(256)
    .meta({ description: `${what}; never logged nor echoed`, format: 'password' });

/**
 * Protocol names as people write them: any case, with or without dashes, and Net-SNMP's own spellings
 * (`-a SHA-256`, `-x AES-256-C`). The Net-SNMP tools' AES-256 is Blumenthal's key extension, AES-256-C Reeder's.
 */
const PROTOCOL_ALIASES: Record<string, string> = {
  sha1: 'sha',
  aes128: 'aes',
  aes256: 'aes256b',
  aes256c: 'aes256r',
  aes256blumenthal: 'aes256b',
  aes256reeder: 'aes256r',
};

function canonicalProtocol(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const compact = value.toLowerCase().replace(/[-_\s]/g, '');
  return PROTOCOL_ALIASES[compact] ?? compact;
}

const AuthProtocolSchema = z
  .preprocess(canonicalProtocol, z.enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']))
  .meta({ description: 'Any case, with or without dashes: MD5, SHA (SHA-1), SHA-224, SHA-256, SHA-384, SHA-512' });

const PrivProtocolSchema = z.preprocess(canonicalProtocol, z.enum(['des', 'aes', 'aes256b', 'aes256r'])).meta({
  description:
    'Any case: DES, AES (AES-128), AES-256 (aes256b: Blumenthal key extension, as the Net-SNMP tools) or AES-256-C (aes256r: Reeder key extension, as Cisco)',
});

/** Version 3 as well as "3": numbers as the CLI's -v 1, -v 2c, -v 3 read. */
const VersionSchema = z.preprocess((v) => (v === 1 ? '1' : v === 2 ? '2c' : v === 3 ? '3' : v), z.enum(['1', '2c', '3']));

export const SnmpUserSchema = z
  .object({
    name: z.string().min(1).max(32),
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']).default('noAuthNoPriv'),
    authProtocol: AuthProtocolSchema.optional(),
    authKey: secret('authKey').optional(),
    privProtocol: PrivProtocolSchema.optional(),
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
  .meta({ id: 'SnmpUser', description: 'An SNMPv3 USM user (required for version 3)' });

const CommunitySchema = z.string().min(1).max(255);
const ContextSchema = z.string().max(255);

const ProfileTargetSchema = z.string().superRefine((text, ctx) => {
  try {
    parseCidr(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${(err as Error).message}${text.includes('@') ? ' (a profile restriction takes CIDRs without ports)' : ''}` });
  }
});

/**
 * A credential profile (config snmp.credentials): requests name it instead of carrying secrets. Secret
 * fields may be written as `{ env: NAME }` or `{ file: PATH }` in the config file; loadConfig replaces them.
 */
export const CredentialProfileSchema = z
  .object({
    version: VersionSchema.default('2c'),
    community: CommunitySchema.optional(),
    user: SnmpUserSchema.optional(),
    context: ContextSchema.optional(),
    /** When set, the profile may only be used for targets in these CIDRs. */
    targets: z.array(ProfileTargetSchema).optional(),
  })
  .strict()
  .superRefine((profile, ctx) => {
    if (profile.version === '3' && !profile.user) ctx.addIssue({ code: 'custom', path: ['user'], message: 'a version 3 profile needs a user' });
    if (profile.version !== '3' && !profile.community) {
      ctx.addIssue({ code: 'custom', path: ['community'], message: 'a version 1/2c profile needs a community' });
    }
  });

/* ------------------------------------------------------------------ requests */

const targetShape = {
  host: HostSchema,
  port: z.number().int().min(1).max(65535).default(161),
  credentials: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be the name of a configured credential profile')
    .optional()
    .meta({ description: 'Name of a credential profile configured on the server (snmp.credentials), e.g. "core", used instead of version/community/user/context' }),
  version: VersionSchema.optional().meta({ default: '2c', description: '"1", "2c" or "3" (the numbers 1, 2 and 3 are accepted too)' }),
  community: CommunitySchema.optional().meta({ description: 'v1/v2c community; never logged nor echoed', format: 'password', default: 'public' }),
  user: SnmpUserSchema.optional(),
  context: ContextSchema.optional().meta({ description: 'v3 context name', default: '' }),
  timeoutMs: z.number().int().min(10).max(60_000).default(2000).meta({ description: 'Per attempt' }),
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

const MAX_UINT32 = 4_294_967_295;
const MAX_UINT64 = 18_446_744_073_709_551_615n;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

const HexValueSchema = z.object({ hex: z.string().max(131_072) }).strict();

export const SetVarbindSchema = z
  .object({
    oid: OidSchema,
    type: z
      .enum(SET_TYPES)
      .optional()
      .meta({ description: "Omitted: taken from the object's SYNTAX in the loaded MIBs, as snmpset's `=` does; an INTEGER with named numbers then also takes the name (\"down\")" }),
    value: z
      .union([z.string().max(131_072), z.number(), HexValueSchema])
      .meta({ description: 'Integer types: number; Counter64: decimal string; OctetString: text or { "hex": "0a1b" }; Opaque: { "hex": … }; ObjectIdentifier: dotted; IpAddress: dotted IPv4' }),
    encoding: z
      .literal('hex')
      .optional()
      .meta({ description: 'As a GET answers binary values: `value` is then hex, so a varbind read can be written back as it came' }),
  })
  .strict()
  .transform(({ encoding, ...vb }) => (encoding === 'hex' && typeof vb.value === 'string' ? { ...vb, value: { hex: vb.value } } : vb))
  .superRefine((vb, ctx) => {
    const problem = vb.type === undefined ? undefined : setValueProblem(vb.type, vb.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
    if (typeof vb.value === 'string' && vb.value.length > 65_535) ctx.addIssue({ code: 'custom', path: ['value'], message: 'text may be at most 65535 characters' });
  })
  .meta({ id: 'SnmpSetVarbind', example: { oid: 'SNMPv2-MIB::sysContact.0', type: 'OctetString', value: 'noc@example.net' } });

export interface SnmpRequestLimits {
  /** OIDs (or varbinds) per request: SNMP_MAX_OIDS. */
  maxOids: number;
  /** Targets per request: SNMP_MAX_TARGETS. */
  maxTargets: number;
  /** Targets polled at once by one request: SNMP_MAX_TARGET_CONCURRENCY. */
  maxTargetConcurrency: number;
  /** The most `parallel` a walk may ask for: SNMP_WALK_MAX_PARALLEL. */
  walkMaxParallel: number;
}

/** Targets polled at once when the request does not say. */
export const DEFAULT_TARGET_CONCURRENCY = 64;
/** Rows per GETBULK when a table request does not say (snmptable asks for 10). */
export const DEFAULT_TABLE_REPETITIONS = 25;
export const DEFAULT_TABLE_MAX_ROWS = 10_000;

const TargetEntrySchema = z
  .object({
    host: HostSchema,
    port: targetShape.port.unwrap().optional().meta({ description: "Default: the request's port (161)" }),
    credentials: targetShape.credentials,
    version: targetShape.version,
    community: targetShape.community,
    user: targetShape.user,
    context: targetShape.context,
    timeoutMs: targetShape.timeoutMs.unwrap().optional(),
    retries: targetShape.retries.unwrap().optional(),
  })
  .strict()
  .superRefine((target, ctx) => {
    if (target.credentials === undefined) return;
    for (const field of INLINE_CREDENTIALS) {
      if (target[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'give either credentials (a server profile) or inline credentials, not both' });
    }
  })
  .meta({
    id: 'SnmpTargetEntry',
    description:
      "One target of a many-target request. The request's own fields are the defaults; a target that names any of credentials, version, community, user or context brings its own credentials and inherits none of the request's.",
  });

/** `host` for one target, or `targets` and `concurrency` for many: the fields every operation adds to its own. */
function targetFields({ maxTargets, maxTargetConcurrency }: SnmpRequestLimits) {
  return {
    ...targetShape,
    host: HostSchema.optional().meta({ example: '127.0.0.1', description: 'The agent (one target); give `targets` instead for many' }),
    targets: z
      .array(TargetEntrySchema)
      .min(1)
      .max(maxTargets)
      .optional()
      .meta({
        description: `Many agents in one request (at most ${maxTargets}, SNMP_MAX_TARGETS), instead of host. The answer is \`{ results: [...] }\` in the same order, one result per target, ok or with its own error`,
      }),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(maxTargetConcurrency)
      .optional()
      .meta({ description: `With targets: how many are polled at once. Default ${Math.min(DEFAULT_TARGET_CONCURRENCY, maxTargetConcurrency)}; at most ${maxTargetConcurrency} (SNMP_MAX_TARGET_CONCURRENCY)` }),
  };
}

/** Exactly one of host and targets; a single target's credentials are checked here, many targets' when they are merged. */
function oneOrManyTargets(body: { host?: string; targets?: unknown[]; concurrency?: number; version?: string; user?: unknown; credentials?: string } & Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (body.targets === undefined) {
    if (body.host === undefined) ctx.addIssue({ code: 'custom', path: ['host'], message: 'give host (one agent) or targets (many)' });
    if (body.concurrency !== undefined) ctx.addIssue({ code: 'custom', path: ['concurrency'], message: 'applies to targets only' });
    requireUserForV3(body, ctx);
    return;
  }
  if (body.host !== undefined) ctx.addIssue({ code: 'custom', path: ['host'], message: 'give either host (one agent) or targets (many), not both' });
  if (body.credentials !== undefined) {
    for (const field of INLINE_CREDENTIALS) {
      if (body[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'give either credentials (a server profile) or inline credentials, not both' });
    }
  }
}

/** The request bodies, bounded by the server's limits: built once per app from its configuration. */
export function snmpRequestSchemas(limits: SnmpRequestLimits) {
  const { maxOids, walkMaxParallel } = limits;
  const oidList = z.array(OidSchema).min(1).max(maxOids);
  const targets = targetFields(limits);

  const get = z
    .object({ ...targets, oids: oidList })
    .strict()
    .superRefine(oneOrManyTargets)
    .meta({ id: 'SnmpGetRequest', example: { host: '127.0.0.1', community: 'public', oids: ['SNMPv2-MIB::sysName.0', '1.3.6.1.2.1.1.3.0'] } });

  const bulk = z
    .object({
      ...targets,
      oids: oidList,
      nonRepeaters: z.number().int().min(0).max(maxOids).default(0),
      maxRepetitions: z.number().int().min(1).max(1000).default(10),
    })
    .strict()
    .superRefine((body, ctx) => {
      oneOrManyTargets(body, ctx);
      if (body.version === '1') ctx.addIssue({ code: 'custom', path: ['version'], message: 'GETBULK does not exist in SNMPv1; use 2c or 3' });
      if (body.nonRepeaters > body.oids.length) {
        ctx.addIssue({ code: 'custom', path: ['nonRepeaters'], message: 'must not exceed the number of oids' });
      }
    })
    .meta({ id: 'SnmpBulkRequest', example: { host: '127.0.0.1', community: 'public', oids: ['IF-MIB::ifDescr'], maxRepetitions: 10 } });

  const walk = z
    .object({
      ...targets,
      oid: OidSchema.meta({ description: 'Root of the subtree to walk', example: 'IF-MIB::ifTable' }),
      maxRepetitions: z.number().int().min(1).max(1000).default(25),
      maxVarbinds: z
        .number()
        .int()
        .min(1)
        .default(10_000)
        .meta({ description: 'Stop after this many varbinds (then `truncated` is true); bounded by the server limit SNMP_MAX_VARBINDS' }),
      parallel: z
        .number()
        .int()
        .min(1)
        .max(walkMaxParallel)
        .default(1)
        .meta({
          description:
            'Walk this many ranges of the subtree at once (v2c/v3; 1: one GETBULK after another). The subtree is split where the loaded MIBs know its branches and table columns; the answer is the same as the serial walk. At most SNMP_WALK_MAX_PARALLEL, which also caps the walk requests in flight to one agent',
          example: 1,
        }),
    })
    .strict()
    .superRefine(oneOrManyTargets)
    .meta({ id: 'SnmpWalkRequest', example: { host: '127.0.0.1', community: 'public', oid: 'SNMPv2-MIB::system' } });

  const table = z
    .object({
      ...targets,
      table: OidSchema.meta({
        example: 'IF-MIB::ifTable',
        description: 'The table (IF-MIB::ifTable), its entry (ifEntry), or a numeric OID; a table no loaded MIB describes is read by number (its entry is <oid>.1)',
      }),
      columns: z.array(OidSchema).min(1).max(maxOids).optional().meta({ description: 'Only these columns (names); default every readable column', example: ['ifDescr', 'ifOperStatus'] }),
      augment: z
        .array(OidSchema)
        .min(1)
        .max(8)
        .optional()
        .meta({ description: 'Tables joined on the same index: they AUGMENT the table (IF-MIB::ifXTable for ifTable) or share its INDEX', example: ['IF-MIB::ifXTable'] }),
      maxRows: z.number().int().min(1).default(DEFAULT_TABLE_MAX_ROWS).meta({ description: 'Stop after this many rows (then `truncated` is true); rows × columns are bounded by SNMP_MAX_VARBINDS' }),
      maxRepetitions: z.number().int().min(1).max(1000).default(DEFAULT_TABLE_REPETITIONS).meta({ description: 'Rows asked for in each GETBULK (all columns at once); halved when the agent answers tooBig' }),
    })
    .strict()
    .superRefine(oneOrManyTargets)
    .meta({ id: 'SnmpTableRequest', example: { host: '127.0.0.1', community: 'public', table: 'IF-MIB::ifTable', augment: ['IF-MIB::ifXTable'], columns: ['ifDescr', 'ifOperStatus', 'ifName'] } });

  const set = z
    .object({ ...targetShape, varbinds: z.array(SetVarbindSchema).min(1).max(maxOids) })
    .strict()
    .superRefine(requireUserForV3)
    .meta({
      id: 'SnmpSetRequest',
      example: { host: '127.0.0.1', community: 'private', varbinds: [{ oid: 'SNMPv2-MIB::sysContact.0', type: 'OctetString', value: 'noc@example.net' }] },
    });

  return { get, bulk, walk, table, set };
}

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

/* ------------------------------------------------------------------ responses */

export const SnmpVarbindsResponseSchema = z
  .object({
    varbinds: z.array(VarbindJsonSchema),
    elapsedMs: z.number().meta({ description: 'Time spent on the SNMP exchange, including DNS' }),
  })
  .meta({ id: 'SnmpVarbindsResponse' });

export const WalkSummarySchema = z.object({
  truncated: z.boolean().meta({ description: 'True when maxVarbinds stopped the walk before the end of the subtree' }),
  stopReason: z.enum(WALK_STOP_REASONS).meta({ description: 'Why the walk ended' }),
  nonIncreasingOid: z
    .object({ previous: z.string(), received: z.string() })
    .optional()
    .meta({ description: 'Present when the agent returned an OID not after the previous one; the walk stops there instead of looping' }),
  elapsedMs: z.number(),
});

export const SnmpWalkResponseSchema = WalkSummarySchema.extend({ varbinds: z.array(VarbindJsonSchema) }).meta({ id: 'SnmpWalkResponse' });

const cellMap = <T extends z.ZodType>(value: T, description: string) => z.record(z.string(), value).optional().meta({ description });

export const TableRowSchema = z
  .object({
    index: z.string().meta({ example: '2', description: 'The instance suffix (numeric)' }),
    indexValues: z
      .record(z.string(), z.union([z.number(), z.string()]))
      .meta({
        example: { ifIndex: 2 },
        description:
          "The INDEX objects' values decoded from the suffix: integers as numbers; IpAddress dotted; InetAddress by its InetAddressType; octet strings by their DISPLAY-HINT (MacAddress 00:1b:…), else text when printable, else hex; OBJECT IDENTIFIER dotted. Empty when the MIBs do not describe the table or the suffix does not fit its INDEX",
      }),
    values: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .meta({ example: { ifDescr: 'eth0', ifOperStatus: 1 }, description: 'One value per column, as in varbinds (Counter64 a decimal string, hex for binary octets); null when the agent returned no cell' }),
    encoding: cellMap(z.literal('hex'), 'Columns whose value is hex-encoded bytes'),
    enum: cellMap(z.string(), "Columns' enumerated values by name (ifOperStatus → up)"),
    bits: cellMap(z.array(z.string()), 'BITS columns: the names of the bits set'),
    valueName: cellMap(z.string(), 'OBJECT IDENTIFIER columns: the MIB name of the value'),
    display: cellMap(z.string(), 'Columns shown as their textual convention says (MacAddress, DateAndTime as ISO 8601, InetAddress…)'),
    duration: cellMap(z.string(), 'TimeTicks columns as ISO 8601 durations'),
  })
  .meta({ id: 'SnmpTableRow' });

export const TableColumnSchema = z
  .object({
    name: z.string().meta({ example: 'ifOperStatus', description: 'The key in `values` (the sub-identifier for a table the MIBs do not describe)' }),
    oid: z.string(),
    syntax: z.string().meta({ example: 'INTEGER' }),
    access: z.string().optional(),
    units: z.string().optional(),
    enums: z.record(z.string(), z.number()).optional().meta({ example: { up: 1, down: 2 } }),
  })
  .meta({ id: 'SnmpTableColumn' });

export const TableIndexObjectSchema = z
  .object({
    name: z.string().meta({ example: 'ifIndex' }),
    syntax: z.string().meta({ example: 'InterfaceIndex' }),
    implied: z.literal(true).optional().meta({ description: 'The IMPLIED last index: no length before it' }),
  })
  .meta({ id: 'SnmpTableIndexObject' });

export const SnmpTableResponseSchema = z
  .object({
    table: z.object({ name: z.string().optional(), oid: z.string() }),
    index: z.array(TableIndexObjectSchema),
    columns: z.array(TableColumnSchema),
    rows: z.array(TableRowSchema).meta({ description: 'In index order' }),
    truncated: z.boolean().meta({ description: 'True when maxRows (or SNMP_MAX_VARBINDS) stopped the walk before the end of the table' }),
    elapsedMs: z.number(),
  })
  .meta({ id: 'SnmpTableResponse' });

/* ------------------------------------------------------------------ MIBs */

export const MibModuleSchema = z
  .object({
    name: z.string().meta({ example: 'HOST-RESOURCES-MIB' }),
    source: z.enum(MIB_SOURCES).meta({ description: 'bundled: shipped with the service (mibs/); dir: from SNMP_MIB_DIRS; uploaded: POST /snmp/mibs (kept in MIB_STORE_DIR)' }),
    file: z.string().meta({ description: 'The file it was read from (its name only)', example: 'HOST-RESOURCES-MIB.txt' }),
    objects: z.number().int().meta({ description: 'Objects (OID-valued definitions) it defines' }),
  })
  .meta({ id: 'MibModule' });

export const MibListResponseSchema = z
  .object({
    modules: z.array(MibModuleSchema).meta({ description: 'Loaded modules, in load order' }),
    skipped: z.array(z.object({ file: z.string(), reason: z.string() })).meta({ description: 'Files and modules that could not be loaded, with the reason' }),
  })
  .meta({ id: 'MibList' });

export const MibUploadResponseSchema = z.object({ loaded: z.array(MibModuleSchema) }).meta({ id: 'MibUploadResult' });

export const MibModuleParamsSchema = z.object({
  module: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'must be a MIB module name')
    .meta({ param: { name: 'module', in: 'path' }, example: 'ACME-MIB' }),
});

export const TranslateQuerySchema = z
  .object({
    name: OidFilterSchema.optional().meta({ param: { name: 'name', in: 'query' }, description: 'A MIB name, with an instance or not (IF-MIB::ifOperStatus.2); give name or oid' }),
    oid: OidFilterSchema.optional().meta({ param: { name: 'oid', in: 'query' }, description: 'A numeric OID (1.3.6.1.2.1.2.2.1.8.2); give name or oid' }),
  })
  .strict()
  .refine((q) => (q.name === undefined) !== (q.oid === undefined), 'give exactly one of name and oid');

export const TranslateResponseSchema = z
  .object({
    oid: z.string().meta({ example: '1.3.6.1.2.1.2.2.1.8.2' }),
    name: z.string().meta({ example: 'IF-MIB::ifOperStatus.2', description: 'The object with the instance suffix' }),
    module: z.string(),
    object: z.string().meta({ example: 'ifOperStatus' }),
    instance: z.string().optional().meta({ example: '2', description: 'The part of the OID after the object, when there is one' }),
    kind: z.string().meta({ example: 'OBJECT-TYPE', description: 'OBJECT-TYPE, OBJECT IDENTIFIER, NOTIFICATION-TYPE, MODULE-IDENTITY, …' }),
    syntax: z
      .object({
        name: z.string().meta({ example: 'INTEGER' }),
        base: z.string().meta({ example: 'Integer32' }),
        textualConventions: z.array(z.string()),
        displayHint: z.string().optional(),
        enums: z.record(z.string(), z.number()).optional().meta({ example: { up: 1, down: 2, testing: 3 } }),
        sizes: z.array(z.tuple([z.number(), z.number()])).optional(),
      })
      .optional(),
    access: z.string().optional().meta({ example: 'read-only' }),
    status: z.string().optional().meta({ example: 'current' }),
    units: z.string().optional(),
    description: z.string().optional(),
    index: z.array(z.object({ name: z.string(), implied: z.boolean() })).optional(),
    augments: z.string().optional(),
  })
  .meta({ id: 'MibTranslation' });

/* ------------------------------------------------------------------ types */

type RequestSchemas = ReturnType<typeof snmpRequestSchemas>;
export type SnmpGetRequest = z.output<RequestSchemas['get']>;
export type SnmpBulkRequest = z.output<RequestSchemas['bulk']>;
export type SnmpWalkRequest = z.output<RequestSchemas['walk']>;
export type SnmpTableRequest = z.output<RequestSchemas['table']>;
export type SnmpTableResponse = z.output<typeof SnmpTableResponseSchema>;
export type SnmpSetRequest = z.output<RequestSchemas['set']>;
export type SnmpSetVarbind = z.output<typeof SetVarbindSchema>;
export type SnmpUser = z.output<typeof SnmpUserSchema>;
export type CredentialProfile = z.output<typeof CredentialProfileSchema>;
export type VarbindJson = z.output<typeof VarbindJsonSchema>;
export type MibTranslation = z.output<typeof TranslateResponseSchema>;
export type TranslateQuery = z.output<typeof TranslateQuerySchema>;

/* Parts of the shapes above, by position. */
export type SnmpTargetEntry = NonNullable<SnmpGetRequest['targets']>[number];
export type TableRow = SnmpTableResponse['rows'][number];
export type TableColumn = SnmpTableResponse['columns'][number];
export type TableIndexObject = SnmpTableResponse['index'][number];
export type MibModule = z.output<typeof MibListResponseSchema>['modules'][number];
export type WalkSummary = z.output<typeof WalkSummarySchema>;

/** The target fields of any SNMP request, as validated (credentials may still be a profile name). */
export type SnmpTargetRequest = Pick<SnmpSetRequest, keyof typeof targetShape>;

/** A request narrowed to one agent: what each target of a many-target request becomes. */
export type OneTarget<R> = Omit<R, 'host' | 'targets' | 'concurrency'> & { host: string };

/** A target with its credentials settled (from a profile or inline, with defaults): what a session is made from. */
export type SnmpTarget = Omit<SnmpTargetRequest, 'credentials' | 'version' | 'community' | 'context'> & {
  version: NonNullable<SnmpTargetRequest['version']>;
  community: string;
  context: string;
};
