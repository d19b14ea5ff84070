import { setMaxListeners } from 'node:events';
import { AdapterError, isAdapterError } from '../errors.ts';
import type { ResolvedTarget, ResolveOptions } from '../net/resolve.ts';
import { elapsedMs, roundMs } from '../time.ts';
import { ProbeDeadline, untilAborted } from './deadline.ts';
import { abortFailure, describe, probeError } from './outcomes.ts';
import { probeTcp } from './tcp.ts';
import { probeTls } from './tls.ts';
import { probeUdp } from './udp.ts';
import type { ProbeMetrics } from './metrics.ts';
import { planProbes } from './plan.ts';
import type { ProbeBatchResult, ProbeLimits, ProbeRequestBody } from './schemas.ts';
import type { ProbeError, ProberOutcome, ProbeProtocol, Prober, ProbeResult, ProbeSpec } from './types.ts';

export type ProberRegistry = Record<ProbeProtocol, Prober>;

export const PROBERS: ProberRegistry = { tcp: probeTcp, tls: probeTls, udp: probeUdp };

/** Resolution plus target policy (src/net/resolve.ts). */
export interface Resolver {
  resolve(host: string, options: ResolveOptions): Promise<ResolvedTarget>;
}

export interface ProbeServiceOptions {
  resolver: Resolver;
  metrics: ProbeMetrics;
  limits: ProbeLimits;
  /** The protocols' probers (tests may give their own). */
  probers?: ProberRegistry;
}

/** The probe adapter: plans the request, resolves, dispatches to the protocol's prober, and assembles results. */
export class ProbeService {
  private readonly resolver: Resolver;
  private readonly metrics: ProbeMetrics;
  private readonly limits: ProbeLimits;
  private readonly probers: ProberRegistry;

  constructor({ resolver, metrics, limits, probers = PROBERS }: ProbeServiceOptions) {
    this.resolver = resolver;
    this.metrics = metrics;
    this.limits = limits;
    this.probers = probers;
  }

  /**
   * Runs a validated request: one probe (`host`) or a batch (`targets`). Fields that are wrong together
   * are a VALIDATION error. A failed probe is a result; only a single target refused by the target policy
   * is an error (REFUSED_BY_POLICY: the caller asked for something not allowed), while in a batch it stays
   * one result among others.
   */
  async run(body: ProbeRequestBody, signal?: AbortSignal): Promise<ProbeResult | ProbeBatchResult> {
    const planned = planProbes(body, this.limits);
    if (!planned.ok) {
      const detail = planned.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
      throw new AdapterError('VALIDATION', 'probe', detail, {}, { fieldIssues: planned.issues });
    }
    const { plan } = planned;
    if (plan.kind === 'single') return this.probe(plan.spec, signal, 'throw');
    const started = performance.now();
    const results = await this.probeBatch(plan.specs, plan.concurrency, signal);
    return { results, summary: summarize(results, started) };
  }

  /**
   * One probe; never rejects for a network outcome. A policy refusal is a result (`POLICY`) unless
   * `refusal` is 'throw'.
   */
  async probe(spec: ProbeSpec, signal?: AbortSignal, refusal: 'result' | 'throw' = 'result'): Promise<ProbeResult> {
    const started = performance.now();
    const deadline = new ProbeDeadline(spec.timeoutMs, signal);
    let resolved: ResolvedTarget | undefined;
    try {
      try {
        resolved = await untilAborted(this.resolver.resolve(spec.host, { subsystem: 'probe', family: spec.ipFamily, port: spec.port }), deadline.signal);
      } catch (err) {
        if (refusal === 'throw' && isAdapterError(err) && err.code === 'REFUSED_BY_POLICY') throw err;
        return this.recorded(assemble(spec, undefined, { state: 'error', error: resolutionFailure(err, deadline.signal) }, started));
      }
      const target = { host: resolved.host, address: resolved.address, family: resolved.family, port: spec.port };
      const outcome = await this.probers[spec.protocol](target, spec, { signal: deadline.signal, deadline: deadline.at });
      return this.recorded(assemble(spec, resolved, outcome, started));
    } catch (err) {
      if (isAdapterError(err)) throw err;
      return this.recorded(assemble(spec, resolved, { state: 'error', error: probeError('ERROR', describe(err)) }, started));
    } finally {
      deadline.dispose();
    }
  }

  /** Runs at most `concurrency` probes at a time; results come back in input order. */
  async probeBatch(specs: ProbeSpec[], concurrency: number, signal?: AbortSignal): Promise<ProbeResult[]> {
    const batch = new AbortController();
    setMaxListeners(concurrency + 8, batch.signal);
    const onAbort = () => batch.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });

    const results = new Array<ProbeResult>(specs.length);
    let next = 0;
    const worker = async () => {
      while (next < specs.length) {
        const index = next++;
        results[index] = await this.probe(specs[index], batch.signal);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, specs.length)) }, worker));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return results;
  }

  private recorded(result: ProbeResult): ProbeResult {
    this.metrics.record(result.protocol, result.state);
    return result;
  }
}

function summarize(results: ProbeResult[], started: number): ProbeBatchResult['summary'] {
  const byState: Record<string, number> = {};
  let ok = 0;
  for (const result of results) {
    byState[result.state] = (byState[result.state] ?? 0) + 1;
    if (result.ok) ok++;
  }
  return { total: results.length, ok, failed: results.length - ok, byState, totalMs: elapsedMs(started) };
}

function resolutionFailure(err: unknown, signal: AbortSignal): ProbeError {
  if (signal.aborted) return abortFailure(signal, 'name resolution');
  if (isAdapterError(err)) {
    if (err.code === 'UNRESOLVABLE') return probeError('DNS', err.message);
    if (err.code === 'REFUSED_BY_POLICY') return { ...probeError('POLICY', err.message), rule: String(err.extensions.rule ?? '') };
  }
  return probeError('ERROR', describe(err));
}

function assemble(spec: ProbeSpec, resolved: ResolvedTarget | undefined, outcome: ProberOutcome, started: number): ProbeResult {
  const result: ProbeResult = {
    ok: outcome.error === undefined,
    protocol: spec.protocol,
    host: spec.host,
    address: resolved ? canonicalAddress(resolved.address, resolved.family) : null,
    port: spec.port,
    state: outcome.state,
    timings: {
      dnsMs: resolved ? roundMs(resolved.dnsMs) : null,
      connectMs: outcome.connectMs ?? null,
      tlsMs: outcome.tlsMs ?? null,
      firstByteMs: outcome.firstByteMs ?? null,
      totalMs: elapsedMs(started),
    },
  };
  if (outcome.response) result.response = outcome.response;
  if (outcome.match) result.match = outcome.match;
  if (outcome.tls) result.tls = outcome.tls;
  if (outcome.error) result.error = outcome.error;
  return result;
}

/** IPv6 in its RFC 5952 text form (`::1`, not `0:0:0:0:0:0:0:1`), as the WHATWG URL parser writes it. */
function canonicalAddress(address: string, family: 4 | 6): string {
  if (family !== 6 || address.includes('%')) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}
