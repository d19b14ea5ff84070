import type { Runtime } from '../../scripts/runtime.ts';
import type { ProcessRegistry } from './processes.ts';
import { stat, type Stat } from './stats.ts';

export interface PeerFigure {
  /** The tool netprobe is compared with, e.g. `snmp_exporter 0.21`. */
  name: string;
  value: Stat;
}

export interface Target {
  /** How the target reads in the table, e.g. `≤ 1.5× snmpbulkwalk`. */
  text: string;
  met: boolean;
}

/** netprobe's figure on one runtime. */
export interface RuntimeFigure {
  /** The runtime's name, e.g. `Node 24.22.3`. */
  runtime: string;
  value: Stat;
}

/** One row of the report: a metric of one scenario, optionally beside one peer. */
export interface Measurement {
  scenario: string;
  metric: string;
  unit: string;
  /** On the production runtime (the first of the run's runtimes): targets and ratios judge this figure. */
  netprobe: Stat;
  /** The same metric on every runtime of the run, production first; absent when measured on production only. */
  runtimes?: RuntimeFigure[];
  peer?: PeerFigure;
  /** netprobe median ÷ peer median. */
  ratio?: number;
  target?: Target;
  note?: string;
}

export interface ScenarioContext {
  registry: ProcessRegistry;
  /** Tiny sizes and one repetition (the smoke test, and a quick look). */
  quick: boolean;
  /** Repetitions for the median and spread. */
  repeat: number;
  /**
   * The runtimes to run netprobe on, production first. Scenarios that compare runtimes start netprobe once on
   * each and interleave them; the others use the first only.
   */
  runtimes: Runtime[];
  log(message: string): void;
}

export interface Scenario {
  name: string;
  title: string;
  /** API paths the scenario drives; it is skipped (with a message) when the service lacks one. */
  paths: string[];
  run(context: ScenarioContext): Promise<Measurement[]>;
}

/** A metric's figures on each runtime (samples in the order of `runtimes`): the production one, and all of them. */
export function perRuntime(runtimes: readonly Runtime[], samples: readonly number[][]): Pick<Measurement, 'netprobe' | 'runtimes'> {
  const figures = runtimes.map((runtime, i) => ({ runtime: runtime.name, value: stat(samples[i]) }));
  return { netprobe: figures[0].value, ...(runtimes.length > 1 ? { runtimes: figures } : {}) };
}

export function compare(
  base: Omit<Measurement, 'peer' | 'ratio' | 'target'>,
  peer: PeerFigure,
  target?: (ratio: number) => Target,
): Measurement {
  const ratio = base.netprobe.median / peer.value.median;
  return { ...base, peer, ratio, ...(target ? { target: target(ratio) } : {}) };
}
