import { writeFileSync } from 'node:fs';
import type { MachineInfo } from './machine.ts';
import type { Stat } from './stats.ts';
import type { Measurement } from './types.ts';

export interface SkippedScenario {
  scenario: string;
  reason: string;
}

export interface BenchReport {
  machine: MachineInfo;
  command: string;
  options: { scenarios: string[]; quick: boolean; repeat: number };
  /** netprobe's runtimes, production first: the table has a column for each. */
  runtimes: { name: string; execPath: string; version: string; flags: string[] }[];
  durationSeconds: number;
  results: Measurement[];
  skipped: SkippedScenario[];
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function formatStat(value: Stat, unit: string): string {
  const median = `${formatNumber(value.median)} ${unit}`;
  if (value.n <= 1 || value.min === value.max) return median;
  return `${median} (${formatNumber(value.min)}–${formatNumber(value.max)})`;
}

/**
 * The markdown table: medians with min–max over the repetitions, netprobe in a column per runtime (production
 * first: ratios and targets judge that one). A metric measured on production only has '—' for the others.
 */
export function markdownTable(results: readonly Measurement[], runtimes: readonly string[]): string {
  const [production = 'netprobe'] = runtimes;
  const columns = runtimes.length > 1 ? runtimes.map((name) => `netprobe, ${name}`) : ['netprobe'];
  const header = ['Scenario', 'Metric', ...columns, 'Peer', 'Peer figure', `Ratio (${runtimes.length > 1 ? production : 'netprobe'} ÷ peer)`, 'Target', 'Met?'];
  const onRuntime = (m: Measurement, name: string, i: number) => {
    const figure = m.runtimes ? m.runtimes.find((f) => f.runtime === name)?.value : i === 0 ? m.netprobe : undefined;
    return figure ? formatStat(figure, m.unit) : '—';
  };
  const rows = results.map((m) => [
    m.scenario,
    m.metric,
    ...(runtimes.length > 1 ? runtimes.map((name, i) => onRuntime(m, name, i)) : [formatStat(m.netprobe, m.unit)]),
    m.peer?.name ?? '—',
    m.peer ? formatStat(m.peer.value, m.unit) : '—',
    m.ratio === undefined ? '—' : `${formatNumber(m.ratio)}×`,
    m.target?.text ?? '—',
    m.target === undefined ? '—' : m.target.met ? 'yes' : '**no**',
  ]);
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function markdownReport(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Benchmark run ${m.date} — ${m.cpuModel}, ${m.cores} cores, ${m.memoryMb} MB RAM, Linux ${m.kernel}, load average ${m.loadAverage.start.toFixed(1)} → ${m.loadAverage.end.toFixed(1)}${m.stealPercent === undefined ? '' : `, CPU time stolen by the hypervisor ${m.stealPercent}%`}`,
    `Command: \`${report.command}\` (${report.durationSeconds.toFixed(0)} s; medians with min–max over the repetitions); netprobe on ${report.runtimes.map((r) => r.name).join(' and on ')}`,
    '',
    markdownTable(report.results, report.runtimes.map((r) => r.name)),
  ];
  const notes = new Map<string, string>(); // note text → the scenario it belongs to, once per text
  for (const r of report.results) if (r.note && !notes.has(r.note)) notes.set(r.note, r.scenario);
  if (notes.size > 0) lines.push('', 'Notes:', ...[...notes].map(([note, scenario]) => `- ${scenario}: ${note}`));
  if (report.skipped.length > 0) lines.push('', 'Skipped:', ...report.skipped.map((s) => `- ${s.scenario}: ${s.reason}`));
  return lines.join('\n');
}

export function writeJson(path: string, report: BenchReport): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
