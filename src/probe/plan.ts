import { isIP } from 'node:net';
import type { FieldIssue } from '../errors.ts';
import { tryParseCidr } from '../net/cidr.ts';
import { bareHost } from '../net/host.ts';
import { ExpectCompiler, expectCostProblem, type ExpectPattern } from './matcher.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_READ_BYTES, DEFAULT_TIMEOUT_MS, type ProbeLimits, type ProbeRequestBody } from './schemas.ts';
import type { ProbeProtocol, ProbeSpec, TlsProbeOptions } from './types.ts';

/** What one batch may keep in memory as responses (the JSON answer is a few times larger). */
export const MAX_BATCH_READ_BYTES = 16 * 1024 * 1024;

type TargetFields = Omit<ProbeRequestBody, 'targets' | 'concurrency'>;

export type ProbePlan = { kind: 'single'; spec: ProbeSpec } | { kind: 'batch'; specs: ProbeSpec[]; concurrency: number };
type PlanIssue = FieldIssue;

/**
 * Applies defaults and per-target overrides, expands scans (a CIDR host, several ports) into one probe each,
 * in order, and checks what depends on several fields at once.
 */
export function planProbes(body: ProbeRequestBody, limits: ProbeLimits): { ok: true; plan: ProbePlan } | { ok: false; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const patterns = new ExpectCompiler();
  const { targets, concurrency, ...shared } = body;
  const defaultConcurrency = Math.min(DEFAULT_CONCURRENCY, limits.maxConcurrency);

  if (targets === undefined) {
    if (shared.host === undefined) {
      return { ok: false, issues: [{ path: [], message: 'give host and port for one probe, or targets for a batch' }] };
    }
    const specs = toSpecs(shared, [], limits, patterns, issues, true);
    if (specs.length === 1 && concurrency !== undefined) issues.push({ path: ['concurrency'], message: 'applies to batches and scans only' });
    if (issues.length) return { ok: false, issues };
    return { ok: true, plan: specs.length === 1 ? { kind: 'single', spec: specs[0] } : { kind: 'batch', specs, concurrency: concurrency ?? defaultConcurrency } };
  }

  if (shared.host !== undefined) {
    return { ok: false, issues: [{ path: ['host'], message: 'give either host (one probe) or targets (a batch), not both' }] };
  }
  const specs: ProbeSpec[] = [];
  targets.forEach((target, index) => {
    const merged: TargetFields = { ...definedOnly(shared), ...definedOnly(target) };
    if (shared.tls && target.tls) merged.tls = { ...shared.tls, ...target.tls };
    specs.push(...toSpecs(merged, ['targets', index], limits, patterns, issues, target.tls !== undefined));
  });
  if (issues.length) return { ok: false, issues };
  const tooMany = batchProblem(specs, limits);
  if (tooMany) return { ok: false, issues: [{ path: ['targets'], message: tooMany }] };
  return { ok: true, plan: { kind: 'batch', specs, concurrency: concurrency ?? defaultConcurrency } };
}

function batchProblem(specs: ProbeSpec[], limits: ProbeLimits): string | undefined {
  if (specs.length > limits.maxBatch) return `the request expands to ${specs.length} probes; at most ${limits.maxBatch} are allowed (PROBE_MAX_BATCH)`;
  const readBudget = specs.reduce((sum, spec) => sum + (spec.read || spec.protocol === 'udp' ? spec.readBytes : 0), 0);
  if (readBudget > MAX_BATCH_READ_BYTES) return `the batch could read ${readBudget} bytes in all; the limit is ${MAX_BATCH_READ_BYTES}: lower readBytes or split the batch`;
  return undefined;
}

/** One spec per address of the host (a CIDR range is every address of it) and per port, host by host. */
function toSpecs(
  fields: TargetFields,
  at: (string | number)[],
  limits: ProbeLimits,
  patterns: ExpectCompiler,
  issues: PlanIssue[],
  tlsGivenHere: boolean,
): ProbeSpec[] {
  const hosts = expandHost(fields.host ?? '', limits.maxBatch);
  if (typeof hosts === 'string') issues.push({ path: [...at, 'host'], message: hosts });
  const ports = fields.port === undefined ? [undefined] : expandPorts(fields.port, limits.maxBatch);
  if (typeof ports === 'string') issues.push({ path: [...at, 'port'], message: ports });
  if (typeof hosts === 'string' || typeof ports === 'string') return [];
  if (hosts.length * ports.length > limits.maxBatch) {
    issues.push({ path: at, message: `host and port expand to ${hosts.length * ports.length} probes; at most ${limits.maxBatch} are allowed (PROBE_MAX_BATCH)` });
    return [];
  }
  const specs: ProbeSpec[] = [];
  for (const host of hosts) {
    for (const port of ports) {
      const spec = toSpec({ ...fields, host, port }, at, limits, patterns, issues, tlsGivenHere);
      if (spec) specs.push(spec);
    }
  }
  return specs;
}

/** `"22,80,8000-8010"` → [22, 80, 8000, …, 8010]; or why not. */
export function expandPorts(port: number | string, limit: number): number[] | string {
  if (typeof port === 'number') return [port];
  const ports: number[] = [];
  for (const part of port.split(',')) {
    const [from, to = from] = part.split('-').map((n) => Number(n.trim()));
    if (from < 1 || to > 65535 || from > to) return `"${part.trim()}" is not a port from 1 to 65535 or a range from low to high`;
    if (ports.length + (to - from + 1) > limit) return `"${port}" names more than ${limit} ports (PROBE_MAX_BATCH)`;
    for (let p = from; p <= to; p++) ports.push(p);
  }
  return ports;
}

/** A host as is, or every address of a CIDR range (at most `limit`); or why not. */
function expandHost(host: string, limit: number): string[] | string {
  if (!host.includes('/')) return [bareHost(host)];
  const network = tryParseCidr(host);
  if (!network) return `"${host}" is not a CIDR range`;
  return network.addresses(limit) ?? `${host} holds ${network.size} addresses; a scan may have at most ${limit} (PROBE_MAX_BATCH)`;
}

function toSpec(
  fields: TargetFields & { port: number | undefined },
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

