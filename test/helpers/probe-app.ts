import { defaultConfig } from '../../src/config.ts';
import type { ProbeService } from '../../src/probe/index.ts';
import { planProbes, type ProbePlan } from '../../src/probe/plan.ts';
import { probeRequestSchemas, type ProbeLimits } from '../../src/probe/schemas.ts';
import type { ProbeSpec } from '../../src/probe/types.ts';
import { testProbeService } from './deps.ts';

export const LIMITS: ProbeLimits = defaultConfig().probe;

/** Turns a request body into a plan exactly as the route does (schema, then planning). */
export function planFor(body: unknown, limits: ProbeLimits = LIMITS): ProbePlan {
  const parsed = probeRequestSchemas(limits).ProbeRequestSchema.parse(body);
  const planned = planProbes(parsed, limits);
  if (!planned.ok) throw new Error(JSON.stringify(planned.issues));
  return planned.plan;
}

export function specFor(body: Record<string, unknown>): ProbeSpec {
  const plan = planFor(body);
  if (plan.kind !== 'single') throw new Error('expected a single probe');
  return plan.spec;
}

/** The real adapter with the default target policy (loopback is allowed). */
export function probeService(): ProbeService {
  return testProbeService();
}
