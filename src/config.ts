import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { loadOnFirstUse } from './lazy-module.ts';
import { BUS_ENGINES } from './events/bus-engine.ts';
import { ForwarderListSchema } from './events/forwarders/schemas.ts';
import { parseRule } from './net/policy.ts';
import { CredentialProfileSchema, SnmpUserSchema } from './snmp/schemas.ts';
import { DEFAULT_MAX_WALKS, DEFAULT_WALK_BUFFER_VARBINDS } from './snmp/walk-budget.ts';
import { DEFAULT_WALK_MAX_PARALLEL } from './snmp/parallel-walk.ts';

/**
 * One schema for the whole configuration. Sources, lowest precedence first:
 * built-in defaults, the file named by NETPROBE_CONFIG (JSON or YAML), environment variables.
 */

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const boolFromString = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])])
  .transform((v) => (typeof v === 'boolean' ? v : ['true', '1', 'yes', 'on'].includes(v)));
const stringList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0));

/** The most HTTP worker processes WORKERS may ask for. */
export const MAX_WORKERS = 64;

export const SCOPES = ['read', 'write', 'traps'] as const;
export type Scope = (typeof SCOPES)[number];

const ApiTokenSchema = z
  .object({
    name: z.string().min(1).optional(),
    token: z.string().min(16, 'tokens must be at least 16 characters').optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be the hex SHA-256 digest of the token')
      .optional(),
    scopes: z.array(z.enum(SCOPES)).min(1),
  })
  .strict()
  .refine((t) => (t.token === undefined) !== (t.sha256 === undefined), 'give exactly one of token or sha256');

export type ApiTokenConfig = z.infer<typeof ApiTokenSchema>;

const policyRule = z.string().superRefine((rule, ctx) => {
  try {
    parseRule(rule, 'TARGET_DENY');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

export const ConfigSchema = z
  .object({
    http: z
      .object({
        port: port.default(8080),
        host: z.string().min(1).default('0.0.0.0'),
        bodyLimitBytes: positiveInt.default(1024 * 1024),
        /** Origins whose browser pages may call the API and open the trap stream; none by default. */
        corsOrigins: stringList.default([]),
        shutdownTimeoutMs: positiveInt.default(10_000),
        /** SO_REUSEPORT: several processes share the port and the kernel spreads connections among them. */
        reusePort: boolFromString.default(false),
        /**
         * HTTP worker processes (node:cluster): 1 serves everything in one process; N > 1 forks N workers
         * that serve HTTP while the primary keeps the trap receiver; `auto`: one per available core.
         */
        workers: z.union([z.number(), z.string()]).transform(parseWorkers).default(1),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .prefault({}),
    snmp: z
      .object({
        mibDirs: stringList.default([]),
        maxVarbinds: positiveInt.default(100_000),
        maxOids: positiveInt.default(128),
        maxWalks: positiveInt.default(DEFAULT_MAX_WALKS),
        walkBufferVarbinds: positiveInt.default(DEFAULT_WALK_BUFFER_VARBINDS),
        /** The most `parallel` a walk may ask for, and the walk requests in flight to one agent at once. */
        walkMaxParallel: positiveInt.default(DEFAULT_WALK_MAX_PARALLEL),
        setEnabled: boolFromString.default(true),
        /** Targets one request may poll (`targets`), and how many of them at once at most. */
        maxTargets: positiveInt.default(1_000),
        maxTargetConcurrency: positiveInt.default(256),
        /** Pooled SNMP sessions (one UDP socket each): room for the agents polled regularly. */
        maxSessions: positiveInt.default(1_024),
        /** Where uploaded MIB modules are kept across restarts (a volume); in memory only when unset. */
        mibStoreDir: z.string().min(1).optional(),
        mibUploadMaxModules: positiveInt.default(256),
        /** Named credentials that requests reference with `"credentials": "<name>"` instead of inline secrets. */
        credentials: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'profile names use letters, digits, _ . -'), CredentialProfileSchema).default({}),
      })
      .strict()
      .prefault({}),
    traps: z
      .object({
        enabled: boolFromString.default(true),
        host: z.string().min(1).default('::'),
        port: port.default(1162),
        /** SO_REUSEPORT: several processes share the port and the kernel spreads senders among them. */
        reusePort: boolFromString.default(false),
        /** The trap socket's receive buffer: what a burst may queue in the kernel while the event loop is busy. */
        receiveBufferBytes: positiveInt.max(1024 * 1024 * 1024).default(32 * 1024 * 1024),
        communities: stringList.default([]),
        users: z
          .union([z.array(SnmpUserSchema), z.string()])
          .transform((v, ctx) => parseJsonList(v, ctx, z.array(SnmpUserSchema)))
          .default([]),
        includeCommunity: boolFromString.default(false),
        bufferSize: positiveInt.default(10_000),
        bufferBytes: positiveInt.default(32 * 1024 * 1024),
        maxEventBytes: positiveInt.default(256 * 1024),
        heartbeatMs: positiveInt.default(15_000),
        subscriberQueue: positiveInt.default(1_000),
        subscriberQueueBytes: positiveInt.default(4 * 1024 * 1024),
        queuesMaxBytes: positiveInt.default(64 * 1024 * 1024),
        maxSubscribers: positiveInt.default(2_000),
        /** memory: one process, the embedded default; redis: replicas share one Redis stream (needs REDIS_URL). */
        bus: z.enum(BUS_ENGINES).default('memory'),
        stream: z.string().min(1).max(200).default('netprobe:traps'),
        streamMaxLen: positiveInt.default(100_000),
        /** 0: no retention by age. */
        streamMaxAgeMs: nonNegativeInt.default(0),
        busBacklog: positiveInt.default(100_000),
        busBacklogBytes: positiveInt.default(64 * 1024 * 1024),
        /** 0: no duplicate suppression. */
        dedupMs: nonNegativeInt.default(0),
        /** Webhook forwarders (TRAP_FORWARDERS: a JSON array in the environment). */
        forwarders: ForwarderListSchema.default([]),
      })
      .strict()
      .prefault({}),
    redis: z
      .object({
        url: z
          .string()
          .refine(isRedisUrl, 'must be a redis:// or rediss:// URL with a host, e.g. redis://redis:6379 or rediss://redis.example.net:6380/0')
          .optional(),
        /** Resolved from REDIS_PASSWORD, REDIS_PASSWORD_FILE, or { env } / { file } in the config file. */
        password: z.string().min(1).optional(),
        keyPrefix: z.string().min(1).max(100).default('netprobe:'),
      })
      .strict()
      .prefault({}),
    dhcp: z
      .object({
        interface: z.string().min(1).optional(),
        mac: z
          .string()
          .regex(/^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/, 'must be a MAC address like 02:00:00:aa:bb:cc')
          .optional(),
      })
      .strict()
      .prefault({}),
    auth: z
      .object({
        tokens: z
          .union([z.array(ApiTokenSchema), z.string()])
          .transform((v, ctx) => parseJsonList(v, ctx, z.array(ApiTokenSchema)))
          .default([]),
        openPaths: stringList.default(['/healthz', '/readyz', '/metrics']),
      })
      .strict()
      .prefault({}),
    policy: z
      .object({
        allow: stringList.pipe(z.array(policyRule)).default([]),
        deny: stringList.pipe(z.array(policyRule)).default([]),
        denyLinkLocal: boolFromString.default(true),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        ratePerSecond: z.coerce.number().nonnegative().default(0),
        rateBurst: positiveInt.default(200),
      })
      .strict()
      .prefault({}),
    probe: z
      .object({
        maxBatch: positiveInt.default(1024),
        maxConcurrency: positiveInt.default(256),
        maxReadBytes: positiveInt.default(65_536),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.traps.bus === 'redis' && config.redis.url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['traps', 'bus'], message: 'TRAP_BUS=redis needs REDIS_URL (redis://host:6379 or rediss://host:6380)' });
    }
    if (config.redis.password !== undefined && config.redis.url !== undefined && new URL(config.redis.url).password !== '') {
      ctx.addIssue({ code: 'custom', path: ['redis', 'password'], message: 'the password is given twice: in REDIS_URL and in REDIS_PASSWORD / REDIS_PASSWORD_FILE; give it once' });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

/** WORKERS: `auto` (one per available core, at most MAX_WORKERS) or a whole number from 1 to MAX_WORKERS. */
function parseWorkers(value: number | string, ctx: z.RefinementCtx): number {
  if (value === 'auto') return Math.min(MAX_WORKERS, availableParallelism());
  const count = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(count) && count >= 1 && count <= MAX_WORKERS) return count;
  ctx.addIssue({ code: 'custom', message: `must be auto or a whole number from 1 to ${MAX_WORKERS}` });
  return z.NEVER;
}

function isRedisUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function parseJsonList<T>(value: T[] | string, ctx: z.RefinementCtx, schema: z.ZodType<T[]>): T[] {
  if (Array.isArray(value)) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array' });
    return z.NEVER;
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || '(root)'}: ${issue.message}` });
    }
    return z.NEVER;
  }
  return result.data;
}

/** Environment variable → path in the config object. */
export const ENV_VARS: Record<string, readonly string[]> = {
  PORT: ['http', 'port'],
  HOST: ['http', 'host'],
  CORS_ORIGINS: ['http', 'corsOrigins'],
  BODY_LIMIT_BYTES: ['http', 'bodyLimitBytes'],
  SHUTDOWN_TIMEOUT_MS: ['http', 'shutdownTimeoutMs'],
  HTTP_REUSE_PORT: ['http', 'reusePort'],
  WORKERS: ['http', 'workers'],
  LOG_LEVEL: ['log', 'level'],
  SNMP_MIB_DIRS: ['snmp', 'mibDirs'],
  SNMP_MAX_VARBINDS: ['snmp', 'maxVarbinds'],
  SNMP_MAX_OIDS: ['snmp', 'maxOids'],
  SNMP_MAX_WALKS: ['snmp', 'maxWalks'],
  SNMP_WALK_BUFFER_VARBINDS: ['snmp', 'walkBufferVarbinds'],
  SNMP_WALK_MAX_PARALLEL: ['snmp', 'walkMaxParallel'],
  SNMP_SET_ENABLED: ['snmp', 'setEnabled'],
  SNMP_MAX_TARGETS: ['snmp', 'maxTargets'],
  SNMP_MAX_TARGET_CONCURRENCY: ['snmp', 'maxTargetConcurrency'],
  SNMP_MAX_SESSIONS: ['snmp', 'maxSessions'],
  MIB_STORE_DIR: ['snmp', 'mibStoreDir'],
  SNMP_MIB_UPLOAD_MAX_MODULES: ['snmp', 'mibUploadMaxModules'],
  TRAP_ENABLED: ['traps', 'enabled'],
  TRAP_HOST: ['traps', 'host'],
  TRAP_PORT: ['traps', 'port'],
  TRAP_REUSE_PORT: ['traps', 'reusePort'],
  TRAP_RECEIVE_BUFFER_BYTES: ['traps', 'receiveBufferBytes'],
  TRAP_COMMUNITIES: ['traps', 'communities'],
  TRAP_USERS: ['traps', 'users'],
  TRAP_INCLUDE_COMMUNITY: ['traps', 'includeCommunity'],
  TRAP_BUFFER: ['traps', 'bufferSize'],
  TRAP_BUFFER_BYTES: ['traps', 'bufferBytes'],
  TRAP_MAX_EVENT_BYTES: ['traps', 'maxEventBytes'],
  TRAP_HEARTBEAT_MS: ['traps', 'heartbeatMs'],
  TRAP_SUBSCRIBER_QUEUE: ['traps', 'subscriberQueue'],
  TRAP_SUBSCRIBER_QUEUE_BYTES: ['traps', 'subscriberQueueBytes'],
  TRAP_QUEUES_MAX_BYTES: ['traps', 'queuesMaxBytes'],
  TRAP_MAX_SUBSCRIBERS: ['traps', 'maxSubscribers'],
  TRAP_BUS: ['traps', 'bus'],
  TRAP_STREAM: ['traps', 'stream'],
  TRAP_STREAM_MAXLEN: ['traps', 'streamMaxLen'],
  TRAP_STREAM_MAX_AGE_MS: ['traps', 'streamMaxAgeMs'],
  TRAP_BUS_BACKLOG: ['traps', 'busBacklog'],
  TRAP_BUS_BACKLOG_BYTES: ['traps', 'busBacklogBytes'],
  TRAP_DEDUP_MS: ['traps', 'dedupMs'],
  TRAP_FORWARDERS: ['traps', 'forwarders'],
  REDIS_URL: ['redis', 'url'],
  REDIS_PASSWORD: ['redis', 'password'],
  REDIS_KEY_PREFIX: ['redis', 'keyPrefix'],
  DHCP_INTERFACE: ['dhcp', 'interface'],
  DHCP_MAC: ['dhcp', 'mac'],
  API_TOKENS: ['auth', 'tokens'],
  AUTH_OPEN_PATHS: ['auth', 'openPaths'],
  TARGET_ALLOW: ['policy', 'allow'],
  TARGET_DENY: ['policy', 'deny'],
  TARGET_DENY_LINK_LOCAL: ['policy', 'denyLinkLocal'],
  RATE_LIMIT_PER_SECOND: ['limits', 'ratePerSecond'],
  RATE_LIMIT_BURST: ['limits', 'rateBurst'],
  PROBE_MAX_BATCH: ['probe', 'maxBatch'],
  PROBE_MAX_CONCURRENCY: ['probe', 'maxConcurrency'],
  PROBE_MAX_READ_BYTES: ['probe', 'maxReadBytes'],
};

export interface ConfigIssue {
  /** Where the bad value came from: an environment variable name, or `file:<path>` plus the key path. */
  source: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): ConfigResult {
  const fileName = env.NETPROBE_CONFIG;
  let raw: Record<string, unknown> = {};
  if (fileName) {
    const file = readConfigFile(fileName);
    if (!file.ok) return { ok: false, issues: [{ source: 'NETPROBE_CONFIG', message: file.message }] };
    raw = file.value;
  }

  const fromEnv = new Map<string, string>();
  for (const [name, path] of Object.entries(ENV_VARS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, path, value);
    fromEnv.set(path.join('.'), name);
  }
  // A password in a mounted file (a Kubernetes Secret volume): read like the other secret references.
  if (env.REDIS_PASSWORD_FILE) {
    if (env.REDIS_PASSWORD) return { ok: false, issues: [{ source: 'REDIS_PASSWORD_FILE', message: 'give REDIS_PASSWORD or REDIS_PASSWORD_FILE, not both' }] };
    setPath(raw, ['redis', 'password'], { file: env.REDIS_PASSWORD_FILE });
    fromEnv.set('redis.password', 'REDIS_PASSWORD_FILE');
  }

  // TRAP_FORWARDERS is JSON in the environment: parsed before its secret references are resolved.
  const forwarders = (raw.traps as Record<string, unknown> | undefined)?.forwarders;
  if (typeof forwarders === 'string') {
    try {
      (raw.traps as Record<string, unknown>).forwarders = JSON.parse(forwarders);
    } catch {
      return { ok: false, issues: [{ source: fromEnv.get('traps.forwarders') ?? 'traps.forwarders', message: 'must be a JSON array of forwarders' }] };
    }
  }

  const secretIssues = resolveSecretRefs(raw, env);
  if (secretIssues.length > 0) return { ok: false, issues: secretIssues };
  trapHostFollowsHttpHost(raw);

  const result = ConfigSchema.safeParse(raw);
  if (result.success) return { ok: true, config: result.data };

  const issues = result.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.');
    const envName = envNameFor(key, fromEnv);
    const source = envName ?? (fileName ? `${fileName}: ${key || '(root)'}` : key || '(root)');
    // Inside a structured variable (TRAP_FORWARDERS), say where: `0.url: …`.
    const inner = envName === undefined ? '' : key.slice(ENV_VARS[envName].join('.').length + 1);
    return { source, message: inner === '' ? issue.message : `${inner}: ${issue.message}` };
  });
  return { ok: false, issues };
}

/** Applies defaults only; for tests and tools that need a config without a process environment. */
export function defaultConfig(overrides: DeepPartial<Config> = {}): Config {
  return ConfigSchema.parse(overrides);
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export function formatConfigIssues(issues: ConfigIssue[]): string {
  return ['invalid configuration:', ...issues.map((i) => `  ${i.source}: ${i.message}`)].join('\n');
}

function envNameFor(key: string, fromEnv: Map<string, string>): string | undefined {
  for (const [path, name] of fromEnv) {
    if (key === path || key.startsWith(`${path}.`)) return name;
  }
  return undefined;
}

/** yaml, loaded only when a YAML configuration file is read. */
const yaml = loadOnFirstUse<typeof import('yaml')>('yaml');

function readConfigFile(fileName: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  let text: string;
  try {
    text = readFileSync(fileName, 'utf8');
  } catch (err) {
    return { ok: false, message: `cannot read ${fileName}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  let value: unknown;
  try {
    value = /\.json$/i.test(fileName) ? JSON.parse(text) : yaml().parse(text);
  } catch (err) {
    return { ok: false, message: `cannot parse ${fileName}: ${(err as Error).message.split('\n')[0]}` };
  }
  if (value === null || value === undefined) return { ok: true, value: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: `${fileName} must contain an object at the top level` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * The trap listener binds where the HTTP listener binds unless told otherwise: HOST=127.0.0.1 keeps traps on
 * loopback too. The all-addresses IPv4 host becomes `::`, which receives IPv4 and IPv6 alike.
 */
function trapHostFollowsHttpHost(raw: Record<string, unknown>): void {
  const httpHost = (raw.http as Record<string, unknown> | undefined)?.host;
  const traps = (raw.traps ?? {}) as Record<string, unknown>;
  if (typeof httpHost !== 'string' || traps.host !== undefined) return;
  setPath(raw, ['traps', 'host'], httpHost === '0.0.0.0' ? '::' : httpHost);
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

const SECRET_FIELDS = ['community', 'authKey', 'privKey'];

/**
 * Replaces `{ env: NAME }` / `{ file: PATH }` secret references by their values: in credential profiles,
 * the Redis password, and forwarders' signing secrets and header values.
 */
function resolveSecretRefs(raw: Record<string, unknown>, env: Env): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const forwarders = (raw.traps as Record<string, unknown> | undefined)?.forwarders;
  if (Array.isArray(forwarders)) {
    forwarders.forEach((forwarder: unknown, index) => {
      if (typeof forwarder !== 'object' || forwarder === null) return;
      const holder = forwarder as Record<string, unknown>;
      const headers = typeof holder.headers === 'object' && holder.headers !== null ? (holder.headers as Record<string, unknown>) : {};
      const refs: [Record<string, unknown>, string, string][] = [
        [holder, 'secret', `traps.forwarders.${index}.secret`],
        ...Object.keys(headers).map((name): [Record<string, unknown>, string, string] => [headers, name, `traps.forwarders.${index}.headers.${name}`]),
      ];
      for (const [object, field, path] of refs) resolveField(object, field, path, env, issues);
    });
  }
  const redis = raw.redis as Record<string, unknown> | undefined;
  if (typeof redis === 'object' && redis !== null) resolveField(redis, 'password', env.REDIS_PASSWORD_FILE ? 'REDIS_PASSWORD_FILE' : 'redis.password', env, issues);
  const profiles = (raw.snmp as Record<string, unknown> | undefined)?.credentials;
  if (typeof profiles !== 'object' || profiles === null) return issues;
  for (const [name, profile] of Object.entries(profiles as Record<string, unknown>)) {
    if (typeof profile !== 'object' || profile === null) continue;
    const holders: [Record<string, unknown>, string][] = [[profile as Record<string, unknown>, `snmp.credentials.${name}`]];
    const user = (profile as Record<string, unknown>).user;
    if (typeof user === 'object' && user !== null) holders.push([user as Record<string, unknown>, `snmp.credentials.${name}.user`]);
    for (const [holder, path] of holders) {
      for (const field of SECRET_FIELDS) resolveField(holder, field, `${path}.${field}`, env, issues);
    }
  }
  return issues;
}

/** Replaces object[field], when it is a secret reference, by its value (or records why it cannot). */
function resolveField(object: Record<string, unknown>, field: string, path: string, env: Env, issues: ConfigIssue[]): void {
  const ref = object[field];
  if (typeof ref !== 'object' || ref === null) return;
  const resolved = readSecretRef(ref as Record<string, unknown>, env);
  if (resolved.ok) object[field] = resolved.value;
  else issues.push({ source: path, message: resolved.message });
}

function readSecretRef(ref: Record<string, unknown>, env: Env): { ok: true; value: string } | { ok: false; message: string } {
  if (typeof ref.env === 'string') {
    const value = env[ref.env];
    return value ? { ok: true, value } : { ok: false, message: `environment variable ${ref.env} is not set` };
  }
  if (typeof ref.file === 'string') {
    try {
      return { ok: true, value: readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '') };
    } catch (err) {
      return { ok: false, message: `cannot read ${ref.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` };
    }
  }
  return { ok: false, message: 'a secret is a string, { env: NAME } or { file: PATH }' };
}
