import type { SecureVersion } from 'node:tls';
import type { IpFamilyPreference } from '../net/resolve.ts';
import type { ExpectPattern } from './matcher.ts';
import type { ProbeError, ProbeMatch, ProbeResponse, TlsReport } from './schemas.ts';

export type { CertificateSummary, ProbeError, ProbeMatch, ProbeResponse, ProbeResult, ProbeTimings, TlsReport } from './schemas.ts';

export const PROBE_PROTOCOLS = ['tcp', 'tls', 'udp'] as const;
export type ProbeProtocol = (typeof PROBE_PROTOCOLS)[number];

/**
 * Port states in nmap's vocabulary; `timeout` when the probe's deadline came before the port could answer
 * (too short to tell filtered from slow), `error` when the probe could not get as far as the port.
 */
export const PROBE_STATES = ['open', 'closed', 'filtered', 'open|filtered', 'timeout', 'error'] as const;
export type ProbeState = (typeof PROBE_STATES)[number];

/** Stable `error.code` values of a failed probe (documented in the OpenAPI enum). */
export const PROBE_ERROR_CODES = [
  'DNS',
  'REFUSED',
  'RESET',
  'TIMEOUT',
  'UNREACHABLE',
  'TLS',
  'NO_MATCH',
  'POLICY',
  'CANCELLED',
  'ERROR',
] as const;
export type ProbeErrorCode = (typeof PROBE_ERROR_CODES)[number];

export interface TlsProbeOptions {
  /** SNI. Undefined when the target is an IP literal and none was given. */
  servername?: string;
  alpn?: string[];
  insecure: boolean;
  ca?: string;
  minVersion?: SecureVersion;
}

/** What a prober does once connected. */
export interface ProbeOptions {
  send?: Buffer;
  expect?: ExpectPattern;
  readBytes: number;
  /** Whether to read at all: true when `send`, `expect` or `readBytes` was asked for. */
  read: boolean;
  tls?: TlsProbeOptions;
}

/** One fully validated probe, defaults applied. */
export interface ProbeSpec extends ProbeOptions {
  protocol: ProbeProtocol;
  host: string;
  port: number;
  timeoutMs: number;
  ipFamily: IpFamilyPreference;
}

/** The resolved endpoint a prober connects to. */
export interface ProbeTarget {
  host: string;
  address: string;
  family: 4 | 6;
  port: number;
}

export interface ProbeContext {
  /** Aborted at the probe's deadline or when the caller goes away. */
  signal: AbortSignal;
  /** Absolute deadline on the performance.now() clock. */
  deadline: number;
}

/** What a protocol prober reports; the runner adds identity, DNS and total timings. */
export interface ProberOutcome {
  state: ProbeState;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
  response?: ProbeResponse;
  match?: ProbeMatch;
  tls?: TlsReport;
  error?: ProbeError;
}

/** The one contract every protocol implements (cf. blackbox_exporter's ProbeFn). Never throws for network outcomes. */
export type Prober = (target: ProbeTarget, options: ProbeOptions, context: ProbeContext) => Promise<ProberOutcome>;
