import type { ProcessRegistry } from './processes.ts';
import type { Stat } from './stats.ts';

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

/** One row of the report: a metric of one scenario, optionally beside one peer. */
export interface Measurement {
  scenario: string;
  metric: string;
  unit: string;
  netprobe: Stat;
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
  log(message: string): void;
}

export interface Scenario {
  name: string;
  title: string;
  /** API paths the scenario drives; it is skipped (with a message) when the service lacks one. */
  paths: string[];
  run(context: ScenarioContext): Promise<Measurement[]>;
}

export function compare(
  base: Omit<Measurement, 'peer' | 'ratio' | 'target'>,
  peer: PeerFigure,
  target?: (ratio: number) => Target,
): Measurement {
  const ratio = base.netprobe.median / peer.value.median;
  return { ...base, peer, ratio, ...(target ? { target: target(ratio) } : {}) };
}
