import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from '@hono/zod-openapi';
import { EXPECT_FLAGS, ExpectCompiler, expectCostProblem, MAX_EXPECT_COST, type ExpectPattern } from '../probe/matcher.ts';
import {
  PROBE_ERROR_CODES,
  PROBE_PROTOCOLS,
  PROBE_STATES,
  type ProbeProtocol,
  type ProbeSpec,
  type TlsProbeOptions,
} from '../probe/types.ts';

/* ------------------------------------------------------------------ limits and defaults */

export interface ProbeLimits {
  maxBatch: number;
  maxConcurrency: number;
  maxReadBytes: number;
}

export const DEFAULT_TIMEOUT_MS = 3000;
export const MAX_TIMEOUT_MS = 60_000;
export const DEFAULT_READ_BYTES = 4096;
export const DEFAULT_CONCURRENCY = 64;
export const MAX_EXPECT_LENGTH = 1024;
export const MAX_SEND_BYTES = 65_536;
/** What one batch may keep in memory as responses (the JSON answer is a few times larger). */
export const MAX_BATCH_READ_BYTES = 16 * 1024 * 1024;
const MAX_CA_LENGTH = 256 * 1024;

const DNS_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const HEX_PAYLOAD = /^(?:[\s:]*[0-9a-fA-F]{2})*[\s:]*$/;
const REGEX_FLAGS = new RegExp(`^[${EXPECT_FLAGS}]{0,${EXPECT_FLAGS.length}}$`);
const ALPN_ID = /^[\x21-\x7e]{1,255}$/;

function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const MAX_CA_CERTIFICATES = 100;

/** Node silently ignores a garbled `ca`, which would surface later as a puzzling "untrusted": check it here. */
function isPemCertificateList(pem: string): boolean {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0 || blocks.length > MAX_CA_CERTIFICATES) return false;
  try {
    for (const block of blocks) new X509Certificate(block);
    return true;
  } catch {
    return false;
  }
}

function isHostOrAddress(host: string): boolean {
  const bare = bareHost(host);
  return isIP(bare) !== 0 || DNS_NAME.test(bare);
}

/* ------------------------------------------------------------------ request */

const HostSchema = z
  .string()
  .min(1)
  .max(255)
  .refine(isHostOrAddress, 'must be an IPv4 address, an IPv6 address (brackets optional) or a DNS name')
  .openapi({ example: 'mail.example.com' });

const PortSchema = z.number().int().min(1).max(65535).openapi({ example: 25 });

const ProtocolSchema = z.enum(PROBE_PROTOCOLS).openapi({ description: 'Default `tcp`' });

const SendSchema = z
  .union([
    z.string().max(MAX_SEND_BYTES).openapi({ description: 'Text, sent as UTF-8 (use JSON escapes such as \\r\\n)' }),
    z
      .object({
        hex: z
          .string()
          .max(MAX_SEND_BYTES * 3)
          .regex(HEX_PAYLOAD, 'must be pairs of hex digits (spaces and colons between bytes are allowed)')
          .openapi({ example: '16 03 01' }),
      })
      .strict(),
  ])
  .openapi('ProbeSendPayload', { description: 'What to send once connected: text, or raw bytes as `{ "hex": "..." }`' });

export const ProbeTlsOptionsSchema = z
  .object({
    servername: z
      .string()
      .regex(DNS_NAME, 'must be a DNS name')
      .refine((name) => isIP(name) === 0, 'SNI carries names only, never an IP address')
      .optional()
      .openapi({ description: 'SNI. Default: the target host when it is a name; none for an IP literal' }),
    alpn: z.array(z.string().regex(ALPN_ID, 'must be 1 to 255 printable ASCII characters')).min(1).max(16).optional().openapi({ example: ['h2', 'http/1.1'] }),
    insecure: z.boolean().optional().openapi({
      description: 'Report an untrusted chain (authorized:false) instead of failing the probe. Default false',
    }),
    ca: z
      .string()
      .max(MAX_CA_LENGTH)
      .refine(isPemCertificateList, 'must be one or more PEM certificates (-----BEGIN CERTIFICATE----- ...), each valid')
      .optional()
      .openapi({ description: 'PEM CA certificates to trust instead of the system store' }),
    minVersion: z.enum(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']).optional(),
  })
  .strict()
  .openapi('ProbeTlsOptions', { description: 'Only for protocol `tls`' });

/** Fields a batch may set once for all targets and each target may override. */
function sharedFields(limits: ProbeLimits) {
  return {
    protocol: ProtocolSchema.optional(),
    port: PortSchema.optional(),
    timeoutMs: z
      .number()
      .int()
      .min(1)
      .max(MAX_TIMEOUT_MS)
      .optional()
      .openapi({ description: `One deadline for the whole probe (DNS, connect, handshake, exchange). Default ${DEFAULT_TIMEOUT_MS}` }),
    ipFamily: z.union([z.literal(4), z.literal(6), z.literal('auto')]).optional().openapi({ description: 'Address family for names. Default `auto`: IPv4 first, then IPv6' }),
    send: SendSchema.optional(),
    expect: z
      .string()
      .min(1)
      .max(MAX_EXPECT_LENGTH)
      .optional()
      .openapi({
        example: '^220 ',
        description:
          `An RE2 regular expression (Go regexp syntax, as in blackbox_exporter; at most ${MAX_EXPECT_LENGTH} characters) matched against the UTF-8 text read so far. ` +
          'Matching takes time linear in the input, so no pattern can stall the service; in exchange there are no backreferences and no lookaround (400), ' +
          'and `\\x{41}` replaces `\\u0041`. Named groups are `(?P<name>…)` or `(?<name>…)`. ' +
          `The compiled pattern's size times readBytes may be at most ${MAX_EXPECT_COST} (${MAX_EXPECT_COST / DEFAULT_READ_BYTES} RE2 instructions at the default readBytes). ` +
          'Alone (no `send`) it is a banner grab',
      }),
    expectFlags: z
      .string()
      .regex(REGEX_FLAGS, 'may contain only i, m, s, u, each at most once')
      .refine((flags) => new Set(flags).size === flags.length, 'may contain only i, m, s, u, each at most once')
      .optional()
      .openapi({ example: 'i', description: 'Flags for expect: i (case-insensitive), m (^ and $ at line ends), s (. matches a newline); u is accepted and changes nothing (RE2 always matches code points)' }),
    readBytes: z
      .number()
      .int()
      .min(1)
      .max(limits.maxReadBytes)
      .optional()
      .openapi({ description: `At most this many bytes are read. Default ${DEFAULT_READ_BYTES}. Given alone it also asks for a read (banner grab without a pattern)` }),
    tls: ProbeTlsOptionsSchema.optional(),
  };
}

export function probeRequestSchemas(limits: ProbeLimits) {
  const ProbeTargetSchema = z
    .object({ host: HostSchema, ...sharedFields(limits) })
    .strict()
    .openapi('ProbeTarget', { description: 'One target of a batch; its fields override the shared ones' });

  const ProbeRequestSchema = z
    .object({
      host: HostSchema.optional().openapi({ description: 'One probe: give host and port (not targets)' }),
      ...sharedFields(limits),
      targets: z
        .array(ProbeTargetSchema)
        .min(1)
        .max(limits.maxBatch)
        .optional()
        .openapi({ description: `A batch of at most ${limits.maxBatch} targets (not host); results come back in the same order` }),
      concurrency: z
        .number()
        .int()
        .min(1)
        .max(limits.maxConcurrency)
        .optional()
        .openapi({ description: `Batch only: probes in flight at once. Default ${Math.min(DEFAULT_CONCURRENCY, limits.maxConcurrency)}` }),
    })
    .strict()
    .superRefine((body, ctx) => {
      const planned = planProbes(body, limits);
      if (!planned.ok) for (const issue of planned.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    })
    .openapi('ProbeRequest', {
      description:
        'Either one probe (`host`, `port`, options) or a batch (`targets`, shared options, `concurrency`). Reading happens when `send`, `expect` or `readBytes` is given; otherwise TCP is a connect check and TLS a handshake check. UDP always sends (an empty datagram when `send` is absent) and waits for an answer until `timeoutMs`. A failed probe is still a 200 result.',
      example: { protocol: 'tcp', host: 'mail.example.com', port: 25, expect: '^220 ', timeoutMs: 3000 },
    });

  return { ProbeTargetSchema, ProbeRequestSchema };
}

export type ProbeRequestBody = z.infer<ReturnType<typeof probeRequestSchemas>['ProbeRequestSchema']>;
type TargetFields = Omit<ProbeRequestBody, 'targets' | 'concurrency'>;

/* ------------------------------------------------------------------ request → probe specs */

export type ProbePlan = { kind: 'single'; spec: ProbeSpec } | { kind: 'batch'; specs: ProbeSpec[]; concurrency: number };
export interface PlanIssue {
  path: (string | number)[];
  message: string;
}

/** Applies defaults and per-target overrides, and checks what depends on several fields at once. */
export function planProbes(body: ProbeRequestBody, limits: ProbeLimits): { ok: true; plan: ProbePlan } | { ok: false; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const patterns = new ExpectCompiler();
  const { targets, concurrency, ...shared } = body;

  if (targets === undefined) {
    if (shared.host === undefined) {
      return { ok: false, issues: [{ path: [], message: 'give host and port for one probe, or targets for a batch' }] };
    }
    if (concurrency !== undefined) issues.push({ path: ['concurrency'], message: 'applies to batches (targets) only' });
    const spec = toSpec(shared, [], limits, patterns, issues, true);
    return issues.length || !spec ? { ok: false, issues } : { ok: true, plan: { kind: 'single', spec } };
  }

  if (shared.host !== undefined) {
    return { ok: false, issues: [{ path: ['host'], message: 'give either host (one probe) or targets (a batch), not both' }] };
  }
  const specs: ProbeSpec[] = [];
  targets.forEach((target, index) => {
    const merged: TargetFields = { ...definedOnly(shared), ...definedOnly(target) };
    if (shared.tls && target.tls) merged.tls = { ...shared.tls, ...target.tls };
    const spec = toSpec(merged, ['targets', index], limits, patterns, issues, target.tls !== undefined);
    if (spec) specs.push(spec);
  });
  if (issues.length) return { ok: false, issues };
  const readBudget = specs.reduce((sum, spec) => sum + (spec.read || spec.protocol === 'udp' ? spec.readBytes : 0), 0);
  if (readBudget > MAX_BATCH_READ_BYTES) {
    const message = `the batch could read ${readBudget} bytes in all; the limit is ${MAX_BATCH_READ_BYTES}: lower readBytes or split the batch`;
    return { ok: false, issues: [{ path: ['targets'], message }] };
  }
  return { ok: true, plan: { kind: 'batch', specs, concurrency: concurrency ?? Math.min(DEFAULT_CONCURRENCY, limits.maxConcurrency) } };
}

function toSpec(
  fields: TargetFields,
  at: (string | number)[],
  limits: ProbeLimits,
  patterns: ExpectCompiler,
  issues: PlanIssue[],
  tlsGivenHere: boolean,
): ProbeSpec | undefined {
  const before = issues.length;
  const protocol: ProbeProtocol = fields.protocol ?? 'tcp';
  const host = bareHost(fields.host ?? '');
  const ipFamily = fields.ipFamily ?? 'auto';
  const literal = isIP(host);

  if (fields.port === undefined) issues.push({ path: [...at, 'port'], message: 'required (here or shared at the top level)' });
  if (literal && ipFamily !== 'auto' && literal !== ipFamily) {
    issues.push({ path: [...at, 'ipFamily'], message: `${host} is an IPv${literal} address but ipFamily is ${ipFamily}` });
  }
  if (fields.tls && tlsGivenHere && protocol !== 'tls') issues.push({ path: [...at, 'tls'], message: 'tls options apply only to protocol tls' });
  const readBytes = fields.readBytes ?? Math.min(DEFAULT_READ_BYTES, limits.maxReadBytes);
  const expect = plannedExpect(fields, readBytes, patterns, at, issues);
  if (issues.length > before || fields.port === undefined) return undefined;

  const spec: ProbeSpec = {
    protocol,
    host,
    port: fields.port,
    timeoutMs: fields.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ipFamily,
    readBytes,
    read: fields.send !== undefined || fields.expect !== undefined || fields.readBytes !== undefined,
  };
  if (fields.send !== undefined) spec.send = payloadBytes(fields.send);
  if (expect) spec.expect = expect;
  if (protocol === 'tls') spec.tls = tlsOptions(fields.tls, host, literal !== 0);
  return spec;
}

function plannedExpect(
  { expect: source, expectFlags: flags }: TargetFields,
  readBytes: number,
  patterns: ExpectCompiler,
  at: PlanIssue['path'],
  issues: PlanIssue[],
): ExpectPattern | undefined {
  if (source === undefined) {
    if (flags) issues.push({ path: [...at, 'expectFlags'], message: 'given without expect' });
    return undefined;
  }
  const compiled = patterns.compile(source, flags);
  if (!compiled.ok) {
    issues.push({ path: [...at, 'expect'], message: compiled.reason });
    return undefined;
  }
  const tooCostly = expectCostProblem(compiled.pattern, readBytes);
  if (tooCostly) issues.push({ path: [...at, 'expect'], message: tooCostly });
  return compiled.pattern;
}

function payloadBytes(send: NonNullable<TargetFields['send']>): Buffer {
  return typeof send === 'string' ? Buffer.from(send, 'utf8') : Buffer.from(send.hex.replace(/[\s:]/g, ''), 'hex');
}

function tlsOptions(given: TargetFields['tls'], host: string, hostIsLiteral: boolean): TlsProbeOptions {
  const servername = given?.servername ?? (hostIsLiteral ? undefined : host.replace(/\.$/, ''));
  const options: TlsProbeOptions = { insecure: given?.insecure ?? false };
  if (servername) options.servername = servername;
  if (given?.alpn) options.alpn = given.alpn;
  if (given?.ca) options.ca = given.ca;
  if (given?.minVersion) options.minVersion = given.minVersion;
  return options;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/* ------------------------------------------------------------------ results */

const ms = (description: string) => z.number().nullable().openapi({ description });

const CertificateSummarySchema = z
  .object({
    subject: z.string().openapi({ example: 'CN=mail.example.com' }),
    issuer: z.string(),
    san: z.array(z.string()).openapi({ example: ['DNS:mail.example.com', 'IP:192.0.2.10'] }),
    validFrom: z.string().openapi({ description: 'ISO 8601' }),
    validTo: z.string().openapi({ description: 'ISO 8601' }),
    daysRemaining: z.number().int().openapi({ description: 'Whole days until validTo (floored); negative once expired' }),
    serialNumber: z.string().openapi({ description: 'Hex' }),
    fingerprint256: z.string().openapi({ example: 'AB:CD:...' }),
  })
  .openapi('CertificateSummary');

const ProbeTlsReportSchema = z
  .object({
    protocol: z.string().nullable().openapi({ example: 'TLSv1.3' }),
    cipher: z.string().nullable(),
    alpn: z.string().nullable().openapi({ description: 'The protocol the server selected, or null' }),
    servername: z.string().nullable().openapi({ description: 'The SNI name sent, or null' }),
    authorized: z.boolean().openapi({ description: 'The chain is trusted and the certificate matches the name (or the IP)' }),
    authorizationError: z.string().nullable().openapi({ example: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    certificate: CertificateSummarySchema.nullable(),
    chain: z.array(CertificateSummarySchema).openapi({ description: 'As sent by the peer, leaf first, up to a self-signed root' }),
  })
  .openapi('ProbeTlsReport');

export const ProbeResultSchema = z
  .object({
    ok: z.boolean(),
    protocol: z.enum(PROBE_PROTOCOLS),
    host: z.string(),
    address: z.string().nullable().openapi({ description: 'The address probed; null when the name did not resolve' }),
    port: z.number().int(),
    state: z.enum(PROBE_STATES).openapi({
      description:
        'nmap vocabulary. open: connected (UDP: answered); closed: refused (UDP: ICMP port unreachable); filtered: no answer to the connect, or unreachable; open|filtered: UDP silence; error: the probe did not reach the port (DNS, policy)',
    }),
    timings: z
      .object({
        dnsMs: ms('Name resolution; 0 for an IP literal, null when it failed'),
        connectMs: ms('TCP handshake; null for UDP'),
        tlsMs: ms('TLS handshake'),
        firstByteMs: ms('From ready to send (after connect/handshake; UDP: after sending) to the first byte received'),
        totalMs: z.number(),
      })
      .openapi('ProbeTimings'),
    response: z
      .object({
        text: z.string().openapi({ description: 'UTF-8 decoding (invalid bytes become U+FFFD); `hex` is exact' }),
        hex: z.string(),
        bytes: z.number().int(),
        endedBy: z.enum(['match', 'readBytes', 'peerClosed', 'deadline', 'datagram']),
      })
      .optional()
      .openapi('ProbeResponse'),
    match: z
      .object({
        matched: z.boolean(),
        groups: z.array(z.string().nullable()).openapi({ description: 'Capture groups 1..n' }),
        named: z.record(z.string(), z.string().nullable()).optional(),
      })
      .optional()
      .openapi('ProbeMatch'),
    tls: ProbeTlsReportSchema.optional(),
    error: z
      .object({
        code: z.enum(PROBE_ERROR_CODES).openapi({
          description:
            'DNS: the name does not resolve. REFUSED: connection refused / ICMP port unreachable. RESET: the peer reset the connection. TIMEOUT: the deadline passed (connect, handshake, or no (matching) answer). UNREACHABLE: host or network unreachable. TLS: handshake failed or untrusted certificate. NO_MATCH: the peer closed or readBytes were read without `expect` matching. POLICY: the target is refused by policy. CANCELLED: the client went away. ERROR: anything else',
        }),
        message: z.string(),
        rule: z.string().optional().openapi({ description: 'POLICY only: the target-policy rule that refused the target' }),
      })
      .optional()
      .openapi('ProbeError'),
  })
  .openapi('ProbeResult', {
    description:
      'A failed probe is a result (ok:false with state and error), never an HTTP error. ok is true when the connection (and TLS handshake with a trusted chain, or `insecure`) succeeded and, with `expect`, it matched; when reading without `expect`, some bytes or a clean close must arrive before the deadline.',
  });

export const ProbeBatchResultSchema = z
  .object({
    results: z.array(ProbeResultSchema).openapi({ description: 'In the order of `targets`' }),
    summary: z
      .object({
        total: z.number().int(),
        ok: z.number().int(),
        failed: z.number().int(),
        byState: z.record(z.string(), z.number().int()),
        totalMs: z.number(),
      })
      .openapi('ProbeBatchSummary'),
  })
  .openapi('ProbeBatchResult');

export const ProbeResponseSchema = z
  .union([ProbeResultSchema, ProbeBatchResultSchema])
  .openapi('ProbeResponseBody', { description: 'ProbeResult for one target (`host`), ProbeBatchResult for `targets`' });
