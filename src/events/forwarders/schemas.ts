import { z } from 'zod';
import { OidFilterSchema } from '../../snmp/schemas.ts';
import { AddressRangeSchema } from '../schemas.ts';
import { TRAP_VERSIONS } from '../trap-event.ts';

/** Headers netprobe sets on every delivery; a forwarder's `headers` may not set them. */
export const SIGNATURE_HEADER = 'x-netprobe-signature';
export const TIMESTAMP_HEADER = 'x-netprobe-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const RESERVED_HEADERS = ['host', 'content-type', 'content-length', 'transfer-encoding', 'connection', IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER];

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();

/** The filter of the trap stream (GET /snmp/traps), for a forwarder: every condition given must hold. */
export const ForwarderFilterSchema = z
  .object({
    source: AddressRangeSchema.optional().meta({ description: 'The UDP sender is this address or in this range' }),
    origin: AddressRangeSchema.optional().meta({ description: '`origin.address` (snmpTrapAddress.0 or a v1 agent-addr) is this address or in this range' }),
    trapOid: OidFilterSchema.optional().meta({ description: 'trapOid is this OID or under it (numeric or a MIB name)', example: 'IF-MIB::linkDown' }),
    version: z.enum(TRAP_VERSIONS).optional(),
  })
  .strict()
  .meta({ id: 'TrapForwarderFilter', description: 'Which events the forwarder sends (all when empty)' });

export type ForwarderFilter = z.output<typeof ForwarderFilterSchema>;

/** One webhook forwarder (TRAP_FORWARDERS). Secrets (`secret`, header values) may be `{ env: NAME }` or `{ file: PATH }` in the configuration. */
export const ForwarderConfigSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'names use 1 to 64 letters, digits, _ . -'),
    url: z.string().superRefine((text, ctx) => {
      const problem = urlProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    filter: ForwarderFilterSchema.default({}),
    headers: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not an HTTP header name'),
        z.string().refine((v) => !/[\r\n\0]/.test(v), 'header values may not contain line breaks'),
      )
      .default({})
      .superRefine((headers, ctx) => {
        for (const name of Object.keys(headers)) {
          if (RESERVED_HEADERS.includes(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is set by netprobe` });
        }
      }),
    /** HMAC-SHA256 key: when set, every request carries X-Netprobe-Timestamp and X-Netprobe-Signature. */
    secret: z.string().min(16, 'a signing secret has at least 16 characters').optional(),
    batch: z
      .object({
        /** 1: each request carries one event (a JSON object); more: a JSON array of up to this many. */
        maxEvents: positiveInt.max(1000).default(1),
        /** How long the first event of a batch waits for more. */
        maxWaitMs: nonNegativeInt.max(60_000).default(1000),
      })
      .strict()
      .prefault({}),
    /** The whole request, from connecting to the end of the answer. */
    timeoutMs: positiveInt.max(300_000).default(10_000),
    connectTimeoutMs: positiveInt.max(60_000).default(5_000),
    retry: z
      .object({
        initialMs: positiveInt.default(500),
        maxMs: positiveInt.default(60_000),
        /** Attempts per batch before it is dead-lettered; 0: until it is delivered. */
        maxAttempts: nonNegativeInt.default(0),
      })
      .strict()
      .prefault({}),
    queue: z
      .object({
        maxEvents: positiveInt.default(10_000),
        maxBytes: positiveInt.default(16 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    /** TRAP_BUS=redis: events another replica read and has not acknowledged for this long are claimed (its replica died). */
    claimIdleMs: positiveInt.min(1000).default(30_000),
  })
  .strict();

export type ForwarderConfig = z.output<typeof ForwarderConfigSchema>;

export const ForwarderListSchema = z.array(ForwarderConfigSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((forwarder, index) => {
    if (seen.has(forwarder.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `forwarder name "${forwarder.name}" is used twice` });
    seen.add(forwarder.name);
  });
});

function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (url.username !== '' || url.password !== '') return 'credentials do not go in the URL: use headers (e.g. Authorization from { env } or { file })';
  if (url.hash !== '') return 'a webhook URL has no #fragment';
  return undefined;
}

/** The URL as it may be shown: scheme, host, port and path (the query may hold a token). */
export function shownUrl(text: string): string {
  const url = new URL(text);
  return `${url.protocol}//${url.host}${url.pathname}${url.search === '' ? '' : '?…'}`;
}

export const FORWARDER_ENGINES = ['memory', 'redis'] as const;

const ForwarderErrorSchema = z
  .object({
    at: z.string().meta({ format: 'date-time' }),
    message: z.string().meta({ example: 'HTTP 503' }),
    status: z.number().int().optional().meta({ description: 'The HTTP status, when the receiver answered' }),
  })
  .meta({ description: 'The last failed attempt' });

export const ForwarderStatusSchema = z
  .object({
    name: z.string().meta({ example: 'alerts' }),
    url: z.string().meta({ description: 'Scheme, host and path (a query string is shown as ?…)', example: 'http://127.0.0.1:9000/hooks/traps' }),
    engine: z.enum(FORWARDER_ENGINES).meta({ description: 'memory: a queue in this process; redis: a consumer group on the shared stream, the work shared by every replica' }),
    filter: ForwarderFilterSchema,
    signed: z.boolean().meta({ description: 'Requests carry an HMAC-SHA256 signature' }),
    batchMaxEvents: z.number().int(),
    queue: z
      .object({
        events: z.number().int().meta({ description: 'memory: events waiting in this process. redis: events of the stream the group has not acknowledged yet (every replica)' }),
        bytes: z.number().int().meta({ description: 'memory: their bytes; redis: 0 (the events are in the stream)' }),
        inFlight: z.number().int().meta({ description: 'Events this replica is delivering now' }),
        maxEvents: z.number().int(),
        maxBytes: z.number().int(),
      })
      .meta({ description: 'What waits to be delivered' }),
    delivered: z.number().int().meta({ description: 'Events acknowledged by the receiver (2xx), by this replica' }),
    retried: z.number().int().meta({ description: 'Requests sent again after a failure (network error, timeout, 408, 429, 5xx)' }),
    dropped: z.number().int().meta({ description: 'Events dropped because the queue was full' }),
    deadLettered: z.number().int().meta({ description: 'Events given up: refused by the receiver (4xx other than 408/429, 3xx) or retry.maxAttempts reached' }),
    lastSuccessAt: z.string().nullable().meta({ format: 'date-time' }),
    lastError: ForwarderErrorSchema.nullable(),
  })
  .meta({ id: 'TrapForwarderStatus', description: 'A webhook forwarder (TRAP_FORWARDERS) as this replica sees it. Secrets and header values are never shown.' });

export type ForwarderStatus = z.output<typeof ForwarderStatusSchema>;

export const ForwarderListStatusSchema = z.object({ forwarders: z.array(ForwarderStatusSchema) }).meta({ id: 'TrapForwarders' });
