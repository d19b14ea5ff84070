import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { tryParseCidr } from '../net/cidr.ts';
import { DNS_NAME, hostProblem } from '../net/host.ts';
import { EXPECT_FLAGS, MAX_EXPECT_COST } from './matcher.ts';
import { PROBE_ERROR_CODES, PROBE_PROTOCOLS, PROBE_STATES } from './types.ts';

/**
 * The probe area's shapes: the request (one target or a batch) and the results. Plain zod documented
 * with .meta(); the result types of the area are inferred from these.
 */

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
const MAX_CA_LENGTH = 256 * 1024;

const HEX_PAYLOAD = /^(?:[\s:]*[0-9a-fA-F]{2})*[\s:]*$/;
const REGEX_FLAGS = new RegExp(`^[${EXPECT_FLAGS}]{0,${EXPECT_FLAGS.length}}$`);
const ALPN_ID = /^[\x21-\x7e]{1,255}$/;

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

/* ------------------------------------------------------------------ request */

/** `22`, or ports and ranges: `"22,80,443,8000-8010"` (checked and expanded when the request is planned). */
const PORT_LIST = /^\s*\d{1,5}(\s*-\s*\d{1,5})?(\s*,\s*\d{1,5}(\s*-\s*\d{1,5})?)*\s*$/;

const PortSchema = z
  .union([z.number().int().min(1).max(65535), z.string().max(1024).regex(PORT_LIST, 'must be a port from 1 to 65535, or ports and ranges such as "22,80,443,8000-8010"')])
  .meta({ example: 25, description: 'A port, or ports and ranges to scan ("22,80,443,8000-8010"): each is one probe, in the order given' });

/** A host, or a network to scan: every address of a CIDR range is one probe, in address order. */
const ProbeHostSchema = z
  .string()
  .min(1)
  .max(255)
  .superRefine((host, ctx) => {
    if (host.includes('/') && tryParseCidr(host) !== undefined) return;
    const problem = hostProblem(host);
    if (problem) ctx.addIssue({ code: 'custom', message: host.includes('/') ? `${host} is not a CIDR range to scan (127.0.0.0/30)` : problem });
  })
  .meta({ example: '127.0.0.1' });

const ProtocolSchema = z.enum(PROBE_PROTOCOLS).meta({ description: 'Default `tcp`' });

const SendSchema = z
  .union([
    z.string().max(MAX_SEND_BYTES).meta({ description: 'Text, sent as UTF-8 (use JSON escapes such as \\r\\n)' }),
    z
      .object({
        hex: z
          .string()
          .max(MAX_SEND_BYTES * 3)
          .regex(HEX_PAYLOAD, 'must be pairs of hex digits (spaces and colons between bytes are allowed)')
          .meta({ example: '16 03 01' }),
      })
      .strict(),
  ])
  .meta({ id: 'ProbeSendPayload',  description: 'What to send once connected: text, or raw bytes as `{ "hex": "..." }`' });

export const ProbeTlsOptionsSchema = z
  .object({
    servername: z
      .string()
      .regex(DNS_NAME, 'must be a DNS name')
      .refine((name) => isIP(name) === 0, 'SNI carries names only, never an IP address')
      .optional()
      .meta({ description: 'SNI. Default: the target host when it is a name; none for an IP literal' }),
    alpn: z.array(z.string().regex(ALPN_ID, 'must be 1 to 255 printable ASCII characters')).min(1).max(16).optional().meta({ example: ['h2', 'http/1.1'] }),
    insecure: z.boolean().optional().meta({
      description: 'Report an untrusted chain (authorized:false) instead of failing the probe. Default false',
    }),
    ca: z
      .string()
      .max(MAX_CA_LENGTH)
      .refine(isPemCertificateList, 'must be one or more PEM certificates (-----BEGIN CERTIFICATE----- ...), each valid')
      .optional()
      .meta({ description: 'PEM CA certificates to trust instead of the system store' }),
    minVersion: z.enum(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']).optional(),
  })
  .strict()
  .meta({ id: 'ProbeTlsOptions',  description: 'Only for protocol `tls`' });

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
      .meta({ description: `One deadline for the whole probe (DNS, connect, handshake, exchange). Default ${DEFAULT_TIMEOUT_MS}` }),
    ipFamily: z.union([z.literal(4), z.literal(6), z.literal('auto')]).optional().meta({ description: 'Address family for names. Default `auto`: IPv4 first, then IPv6' }),
    send: SendSchema.optional(),
    expect: z
      .string()
      .min(1)
      .max(MAX_EXPECT_LENGTH)
      .optional()
      .meta({
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
      .meta({ example: 'i', description: 'Flags for expect: i (case-insensitive), m (^ and $ at line ends), s (. matches a newline); u is accepted and changes nothing (RE2 always matches code points)' }),
    readBytes: z
      .number()
      .int()
      .min(1)
      .max(limits.maxReadBytes)
      .optional()
      .meta({ description: `At most this many bytes are read. Default ${DEFAULT_READ_BYTES}. Given alone it also asks for a read (banner grab without a pattern)` }),
    tls: ProbeTlsOptionsSchema.optional(),
  };
}

export function probeRequestSchemas(limits: ProbeLimits) {
  const ProbeTargetSchema = z
    .object({ host: ProbeHostSchema, ...sharedFields(limits) })
    .strict()
    .meta({ id: 'ProbeTarget',  description: 'One target of a batch; its fields override the shared ones' });

  const ProbeRequestSchema = z
    .object({
      host: ProbeHostSchema.optional().meta({
        description: 'One probe: give host and port (not targets). A CIDR range or several ports make it a scan: the answer is then a batch result',
      }),
      ...sharedFields(limits),
      targets: z
        .array(ProbeTargetSchema)
        .min(1)
        .max(limits.maxBatch)
        .optional()
        .meta({ description: `A batch of at most ${limits.maxBatch} targets (not host); results come back in the same order` }),
      concurrency: z
        .number()
        .int()
        .min(1)
        .max(limits.maxConcurrency)
        .optional()
        .meta({ description: `Batch only: probes in flight at once. Default ${Math.min(DEFAULT_CONCURRENCY, limits.maxConcurrency)}` }),
    })
    .strict()
    .meta({ id: 'ProbeRequest', 
      description:
        'Either one probe (`host`, `port`, options) or a batch (`targets`, shared options, `concurrency`). Reading happens when `send`, `expect` or `readBytes` is given; otherwise TCP is a connect check and TLS a handshake check. UDP always sends (an empty datagram when `send` is absent) and waits for an answer until `timeoutMs`. A failed probe is still a 200 result.',
      example: { protocol: 'tcp', host: '127.0.0.1', port: 25, expect: '^220 ', timeoutMs: 3000 },
    });

  return { ProbeTargetSchema, ProbeRequestSchema };
}


/* ------------------------------------------------------------------ results */

const ms = (description: string) => z.number().nullable().meta({ description });

const CertificateSummarySchema = z
  .object({
    subject: z.string().meta({ example: 'CN=mail.example.com' }),
    issuer: z.string(),
    san: z.array(z.string()).meta({ example: ['DNS:mail.example.com', 'IP:192.0.2.10'] }),
    validFrom: z.string().meta({ description: 'ISO 8601' }),
    validTo: z.string().meta({ description: 'ISO 8601' }),
    daysRemaining: z.number().int().meta({ description: 'Whole days until validTo (floored); negative once expired' }),
    serialNumber: z.string().meta({ description: 'Hex' }),
    fingerprint256: z.string().meta({ example: 'AB:CD:...' }),
    keyType: z.string().meta({ description: 'Public key type: rsa, rsa-pss, ec, ed25519, …', example: 'ec' }),
    keyBits: z.int().nullable().meta({ description: 'RSA modulus length in bits; null for other key types', example: 2048 }),
    keyCurve: z.string().nullable().meta({ description: 'EC curve name; null for other key types', example: 'prime256v1' }),
    signatureAlgorithm: z.string().nullable().meta({ description: "The issuer's signature algorithm (its OID when not known by name)", example: 'sha256WithRSAEncryption' }),
  })
  .meta({ id: 'CertificateSummary' });

const ProbeTlsReportSchema = z
  .object({
    protocol: z.string().nullable().meta({ example: 'TLSv1.3' }),
    cipher: z.string().nullable(),
    alpn: z.string().nullable().meta({ description: 'The protocol the server selected, or null' }),
    servername: z.string().nullable().meta({ description: 'The SNI name sent, or null' }),
    authorized: z.boolean().meta({ description: 'The chain is trusted and the certificate matches the name (or the IP)' }),
    verdict: z.enum(['trusted', 'untrusted', 'nameMismatch']).meta({
      description: 'trusted: chain and name good; untrusted: the chain does not verify (self-signed, unknown CA, expired…); nameMismatch: a trusted certificate for another name than servername (or the IP)',
    }),
    authorizationError: z.string().nullable().meta({ example: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    certificate: CertificateSummarySchema.nullable(),
    chain: z.array(CertificateSummarySchema).meta({ description: 'As sent by the peer, leaf first, up to a self-signed root' }),
  })
  .meta({ id: 'ProbeTlsReport' });

export const ProbeResultSchema = z
  .object({
    ok: z.boolean(),
    protocol: z.enum(PROBE_PROTOCOLS),
    host: z.string(),
    address: z.string().nullable().meta({ description: 'The address probed; null when the name did not resolve' }),
    port: z.number().int(),
    state: z.enum(PROBE_STATES).meta({
      description:
        'nmap vocabulary. open: connected (UDP: answered); closed: refused (UDP: ICMP port unreachable); filtered: no answer to the connect for at least the first TCP retransmission timeout (1 s), or unreachable; timeout: the deadline came before the port could answer (timeoutMs too short to tell filtered from slow); open|filtered: UDP silence; error: the probe did not reach the port (DNS, policy)',
    }),
    timings: z
      .object({
        dnsMs: ms('Name resolution; 0 for an IP literal, null when it failed'),
        connectMs: ms('TCP handshake; null for UDP'),
        tlsMs: ms('TLS handshake'),
        firstByteMs: ms('From ready to send (after connect/handshake; UDP: after sending) to the first byte received'),
        totalMs: z.number(),
      })
      .meta({ id: 'ProbeTimings' }),
    response: z
      .object({
        text: z.string().meta({ description: 'UTF-8 decoding (invalid bytes become U+FFFD); `hex` is exact' }),
        hex: z.string(),
        bytes: z.number().int(),
        endedBy: z.enum(['match', 'readBytes', 'peerClosed', 'deadline', 'datagram']),
      })
      .optional()
      .meta({ id: 'ProbeResponse' }),
    match: z
      .object({
        matched: z.boolean(),
        groups: z.array(z.string().nullable()).meta({ description: 'Capture groups 1..n' }),
        named: z.record(z.string(), z.string().nullable()).optional(),
      })
      .optional()
      .meta({ id: 'ProbeMatch' }),
    tls: ProbeTlsReportSchema.optional(),
    error: z
      .object({
        code: z.enum(PROBE_ERROR_CODES).meta({
          description:
            'DNS: the name does not resolve. REFUSED: connection refused / ICMP port unreachable. RESET: the peer reset the connection. TIMEOUT: the deadline passed (connect, handshake, or no (matching) answer). UNREACHABLE: host or network unreachable. TLS: handshake failed or untrusted certificate. NO_MATCH: the peer closed or readBytes were read without `expect` matching. POLICY: the target is refused by policy. CANCELLED: the client went away. ERROR: anything else',
        }),
        message: z.string(),
        rule: z.string().optional().meta({ description: 'POLICY only: the target-policy rule that refused the target' }),
      })
      .optional()
      .meta({ id: 'ProbeError' }),
  })
  .meta({ id: 'ProbeResult', 
    description:
      'A failed probe is a result (ok:false with state and error), never an HTTP error. ok is true when the connection (and TLS handshake with a trusted chain, or `insecure`) succeeded and, with `expect`, it matched; when reading without `expect`, some bytes or a clean close must arrive before the deadline.',
  });

export const ProbeBatchResultSchema = z
  .object({
    results: z.array(ProbeResultSchema).meta({ description: 'In the order of `targets`' }),
    summary: z
      .object({
        total: z.number().int(),
        ok: z.number().int(),
        failed: z.number().int(),
        byState: z.record(z.string(), z.number().int()),
        totalMs: z.number(),
      })
      .meta({ id: 'ProbeBatchSummary' }),
  })
  .meta({ id: 'ProbeBatchResult' });

export const ProbeResponseSchema = z
  .union([ProbeResultSchema, ProbeBatchResultSchema])
  .meta({ id: 'ProbeResponseBody',  description: 'ProbeResult for one target (`host`), ProbeBatchResult for `targets`' });

/* ------------------------------------------------------------------ types */

export type ProbeRequestBody = z.output<ReturnType<typeof probeRequestSchemas>['ProbeRequestSchema']>;
export type ProbeResult = z.output<typeof ProbeResultSchema>;
export type ProbeBatchResult = z.output<typeof ProbeBatchResultSchema>;
export type ProbeTimings = ProbeResult['timings'];
export type ProbeResponse = NonNullable<ProbeResult['response']>;
export type ProbeMatch = NonNullable<ProbeResult['match']>;
export type TlsReport = NonNullable<ProbeResult['tls']>;
export type CertificateSummary = z.output<typeof CertificateSummarySchema>;
export type ProbeError = NonNullable<ProbeResult['error']>;
