import { loadavg } from 'node:os';
import { currentRuntime, describeRuntime, ltsBinary, systemNode, type Runtime } from '../scripts/runtime.ts';
import { cpuTimes, machineInfo } from './lib/machine.ts';
import { ProcessRegistry } from './lib/processes.ts';
import type { BenchReport, SkippedScenario } from './lib/report.ts';
import { servedPaths, startNetprobe } from './lib/service.ts';
import type { Measurement, Scenario } from './lib/types.ts';
import { fleetScenario } from './scenarios/fleet.ts';
import { footprintScenario } from './scenarios/footprint.ts';
import { largeWalkScenario } from './scenarios/large-walk.ts';
import { probeBatchScenario } from './scenarios/probe-batch.ts';
import { snmpGetScenario } from './scenarios/snmp-get.ts';
import { trapsScenario } from './scenarios/traps.ts';
import { walkScenario } from './scenarios/walk.ts';

export const SCENARIOS: readonly Scenario[] = [snmpGetScenario, walkScenario, largeWalkScenario, trapsScenario, probeBatchScenario, footprintScenario, fleetScenario];

export interface BenchOptions {
  /** Scenario names; all when empty. */
  scenarios?: string[];
  quick?: boolean;
  repeat?: number;
  /** netprobe's runtimes, production first (default: the one running the bench). */
  runtimes?: Runtime[];
  /** The command line, for the report. */
  command?: string;
  registry?: ProcessRegistry;
  log?: (message: string) => void;
  /** Throw on the first failing scenario instead of recording it as skipped. */
  failFast?: boolean;
}

export const DEFAULT_REPEAT = 3;

/**
 * A runtime named on the command line: `lts` (the pinned binary, production's), `system` (the machine's own
 * node) or a path to a node binary, optionally followed by node options, e.g. `lts --max-semi-space-size=32`.
 */
export function parseRuntime(spec: string): Runtime {
  const [which, ...flags] = spec.trim().split(/\s+/);
  const execPath = which === 'lts' ? ltsBinary() : which === 'system' ? systemNode() : which;
  if (!execPath) throw new Error(`--runtime ${which}: ${which === 'lts' ? 'the pinned Node binary is not installed (npm ci)' : 'no node on PATH outside node_modules'}`);
  return describeRuntime(execPath, flags);
}

/** `npm run bench`'s runtimes: production's (the pinned LTS), then the machine's own node when it is another version. */
export function defaultRuntimes(): Runtime[] {
  const specs = ltsBinary() ? ['lts', 'system'] : ['system'];
  const runtimes: Runtime[] = [];
  for (const spec of specs) {
    const runtime = spec === 'system' && !systemNode() ? undefined : parseRuntime(spec);
    if (runtime && !runtimes.some((r) => r.name === runtime.name)) runtimes.push(runtime);
  }
  return runtimes.length > 0 ? runtimes : [currentRuntime()];
}

export function selectScenarios(names: readonly string[] = []): Scenario[] {
  if (names.length === 0) return [...SCENARIOS];
  return names.map((name) => {
    const scenario = SCENARIOS.find((s) => s.name === name);
    if (!scenario) throw new Error(`unknown scenario "${name}"; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    return scenario;
  });
}

/** Runs the selected scenarios one after another and always stops every process it started. */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const scenarios = selectScenarios(options.scenarios);
  const quick = options.quick ?? false;
  const repeat = quick ? 1 : (options.repeat ?? DEFAULT_REPEAT);
  const runtimes = options.runtimes?.length ? options.runtimes : [currentRuntime()];
  const registry = options.registry ?? new ProcessRegistry();
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  const cpuAtStart = cpuTimes();
  const results: Measurement[] = [];
  const skipped: SkippedScenario[] = [];
  try {
    const paths = await availablePaths(registry, runtimes[0]);
    for (const scenario of scenarios) {
      const missing = scenario.paths.filter((p) => !paths.has(p));
      if (missing.length > 0) {
        skipped.push({ scenario: scenario.name, reason: `the service does not serve ${missing.join(', ')} yet` });
        log(`[${scenario.name}] skipped: the service does not serve ${missing.join(', ')} yet`);
        continue;
      }
      const scenarioStarted = performance.now();
      log(`[${scenario.name}] ${scenario.title}…`);
      try {
        const rows = await scenario.run({ registry, quick, repeat, runtimes, log: (m) => log(`[${scenario.name}] ${m}`) });
        results.push(...rows);
        log(`[${scenario.name}] done in ${((performance.now() - scenarioStarted) / 1000).toFixed(1)} s`);
      } catch (err) {
        if (options.failFast) throw err;
        const reason = `failed: ${(err as Error).message.split('\n')[0]}`;
        skipped.push({ scenario: scenario.name, reason });
        log(`[${scenario.name}] ${reason}`);
      } finally {
        await registry.stopAll(); // nothing a scenario started outlives it, even when it failed
      }
    }
  } finally {
    await registry.stopAll();
  }
  return {
    machine: machineInfo(loadAtStart, cpuAtStart),
    command: options.command ?? 'npm run bench',
    options: { scenarios: scenarios.map((s) => s.name), quick, repeat },
    runtimes: runtimes.map(({ name, execPath, version, flags }) => ({ name, execPath, version, flags })),
    durationSeconds: (performance.now() - started) / 1000,
    results,
    skipped,
  };
}

/** Which API paths this checkout's service serves (scenarios for missing routes are skipped). */
async function availablePaths(registry: ProcessRegistry, runtime: Runtime): Promise<Set<string>> {
  const service = await startNetprobe(registry, { runtime });
  try {
    return await servedPaths(service.baseUrl);
  } finally {
    await service.stop();
  }
}
