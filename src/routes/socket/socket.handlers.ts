import type { RouteHandler } from '@hono/zod-openapi';
import { AdapterError } from '../../errors.ts';
import type { Metrics } from '../../http/metrics.ts';
import { clientSignal } from '../../http/client-signal.ts';
import type { AppEnv } from '../../http/types.ts';
import type { ProbeResult, ProbeService } from '../../probe/index.ts';
import { planProbes, type ProbeLimits } from '../../schemas/probe.ts';
import type { SocketProbeRoute } from './socket.routes.ts';

export function socketProbeHandler(probes: ProbeService, limits: ProbeLimits, metrics: Metrics): RouteHandler<SocketProbeRoute, AppEnv> {
  return async (c) => {
    const planned = planProbes(c.req.valid('json'), limits);
    // The schema ran the same planning, so this cannot fail; keep the type checker and a future edit honest.
    if (!planned.ok) throw new Error('probe request passed validation but could not be planned');
    // Aborted when the HTTP client disconnects: in-flight probes stop and release their sockets.
    const signal = clientSignal(c);
    const { plan } = planned;
    if (plan.kind === 'single') {
      const result = await probes.probe(plan.spec, signal);
      record(metrics, [result]);
      // A single refused target is the caller's error (403); in a batch it stays one result among others.
      if (result.error?.code === 'POLICY') {
        throw new AdapterError('REFUSED_BY_POLICY', 'probe', result.error.message, { rule: result.error.rule });
      }
      return c.json(result, 200);
    }

    const started = performance.now();
    const results = await probes.probeBatch(plan.specs, plan.concurrency, signal);
    record(metrics, results);
    return c.json({ results, summary: summarize(results, performance.now() - started) }, 200);
  };
}

function summarize(results: ProbeResult[], elapsedMs: number) {
  const byState: Record<string, number> = {};
  let ok = 0;
  for (const result of results) {
    byState[result.state] = (byState[result.state] ?? 0) + 1;
    if (result.ok) ok++;
  }
  return { total: results.length, ok, failed: results.length - ok, byState, totalMs: Math.round(elapsedMs * 1000) / 1000 };
}

function record(metrics: Metrics, results: ProbeResult[]): void {
  for (const result of results) metrics.probeOutcomes.inc({ protocol: result.protocol, state: result.state });
}
