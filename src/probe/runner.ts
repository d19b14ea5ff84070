import { setMaxListeners } from 'node:events';
import { isAdapterError } from '../errors.ts';
import { TargetResolver, type ResolvedTarget, type ResolveOptions } from '../net/resolve.ts';
import { elapsedSince, ProbeDeadline, roundMs, untilAborted } from './deadline.ts';
import { abortFailure, describe, probeError } from './outcomes.ts';
import { probeTcp } from './tcp.ts';
import { probeTls } from './tls.ts';
import { probeUdp } from './udp.ts';
import type { ProbeError, ProberOutcome, ProbeProtocol, Prober, ProbeResult, ProbeSpec } from './types.ts';

export type ProberRegistry = Record<ProbeProtocol, Prober>;

export const PROBERS: ProberRegistry = { tcp: probeTcp, tls: probeTls, udp: probeUdp };

/** Resolution plus target policy (src/net/resolve.ts); injectable for tests. */
export interface Resolver {
  resolve(host: string, options: ResolveOptions): Promise<ResolvedTarget>;
}

/** The probe adapter: resolves, dispatches to the protocol's prober, and assembles the result. */
export class ProbeService {
  constructor(
    private readonly resolver: Resolver = new TargetResolver(),
    private readonly probers: ProberRegistry = PROBERS,
  ) {}

  /** Never rejects: every failure is a result with `ok: false`. */
  async probe(spec: ProbeSpec, signal?: AbortSignal): Promise<ProbeResult> {
    const started = performance.now();
    const deadline = new ProbeDeadline(spec.timeoutMs, signal);
    let resolved: ResolvedTarget | undefined;
    try {
      try {
        resolved = await untilAborted(this.resolver.resolve(spec.host, { subsystem: 'probe', family: spec.ipFamily, port: spec.port }), deadline.signal);
      } catch (err) {
        return assemble(spec, undefined, { state: 'error', error: resolutionFailure(err, deadline.signal) }, started);
      }
      const target = { host: resolved.host, address: resolved.address, family: resolved.family, port: spec.port };
      const outcome = await this.probers[spec.protocol](target, spec, { signal: deadline.signal, deadline: deadline.at });
      return assemble(spec, resolved, outcome, started);
    } catch (err) {
      return assemble(spec, resolved, { state: 'error', error: probeError('ERROR', describe(err)) }, started);
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
      totalMs: elapsedSince(started),
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
