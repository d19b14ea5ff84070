import { timeCommand } from '../lib/children.ts';
import { readMemory, resetPeak, sampleRss } from '../lib/proc.ts';
import { sleep } from '../lib/ports.ts';
import { startNetprobe, type Netprobe } from '../lib/service.ts';
import { stat } from '../lib/stats.ts';
import { compare, type Measurement, type Scenario } from '../lib/types.ts';
import { BIG_TABLE_ROOT, COMMUNITY, SNMP_TOOL_ENV, startSnmpd, type BenchSnmpd } from '../peers/snmpd.ts';

const SCENARIO = '3 Large walk';
const FULL_ROWS = 100_000;
const QUICK_ROWS = 2_000;
const NEWLINE = 0x0a;

interface WalkRun {
  varbinds: number;
  ms: number;
  rssGrowthMb: number;
  summary: string;
}

/** A walk of >= 100 000 varbinds (snmpd with a pass_persist table) streamed as NDJSON: RSS growth and time. */
export const largeWalkScenario: Scenario = {
  name: 'large-walk',
  title: 'Large walk memory (NDJSON)',
  paths: ['/snmp/walk'],
  async run({ registry, quick, repeat, log, runtimes }) {
    const rows = quick ? QUICK_ROWS : FULL_ROWS;
    const snmpd = await startSnmpd(registry, { bigTableRows: rows });
    const netprobe = await startNetprobe(registry, { runtime: runtimes[0], env: { SNMP_MAX_VARBINDS: String(rows * 2) } });
    try {
      await streamWalk(netprobe, snmpd, Math.min(rows, 1000)); // loads code paths before the baseline is taken
      await sleep(500);
      const runs: WalkRun[] = [];
      const cliMs: number[] = [];
      for (let i = 0; i < (quick ? 1 : repeat); i++) {
        const run = await measuredWalk(netprobe, snmpd, rows);
        runs.push(run);
        log(`run ${i + 1}: ${run.varbinds} varbinds in ${run.ms.toFixed(0)} ms, RSS +${run.rssGrowthMb.toFixed(1)} MB`);
        const cli = await timeCommand(registry, '/usr/bin/snmpbulkwalk', ['-m', '', '-On', '-v2c', '-c', COMMUNITY, '-Cr25', `udp:${snmpd.host}:${snmpd.port}`, BIG_TABLE_ROOT], SNMP_TOOL_ENV);
        cliMs.push(cli.ms / (rows / 1000));
        await sleep(300);
      }
      const short = runs.filter((r) => r.varbinds < rows);
      if (short.length > 0) throw new Error(`netprobe walk stopped at ${short[0].varbinds} of ${rows} varbinds: ${short[0].summary}`);
      const note = `${rows.toLocaleString('en-US')} varbinds from snmpd pass_persist, maxRepetitions 25; RSS sampled every 20 ms and VmHWM (reset before each walk)`;
      return [
        { scenario: SCENARIO, metric: 'peak RSS growth', unit: 'MB', netprobe: stat(runs.map((r) => r.rssGrowthMb)), target: target(runs), note },
        compare(
          { scenario: SCENARIO, metric: 'time per 1 000 varbinds', unit: 'ms', netprobe: stat(runs.map((r) => r.ms / (r.varbinds / 1000))), note },
          { name: 'snmpbulkwalk -Cr25', value: stat(cliMs) },
        ),
      ] satisfies Measurement[];
    } finally {
      await Promise.all([netprobe.stop(), snmpd.stop()]);
    }
  },
};

function target(runs: WalkRun[]) {
  const worst = Math.max(...runs.map((r) => r.rssGrowthMb));
  return { text: '< 50 MB', met: worst < 50 };
}

async function measuredWalk(netprobe: Netprobe, snmpd: BenchSnmpd, rows: number): Promise<WalkRun> {
  const baseline = readMemory(netprobe.pid).rssMb;
  const peakReset = resetPeak(netprobe.pid);
  const sampler = sampleRss(netprobe.pid);
  const started = performance.now();
  const walk = await streamWalk(netprobe, snmpd, rows);
  const ms = performance.now() - started;
  const sampled = sampler.stop().peakRssMb;
  const peak = peakReset ? Math.max(sampled, readMemory(netprobe.pid).hwmMb) : sampled;
  return { ...walk, ms, rssGrowthMb: peak - baseline };
}

/** Streams the NDJSON walk, counting lines without parsing them (the bench must not be the bottleneck). */
async function streamWalk(netprobe: Netprobe, snmpd: BenchSnmpd, rows: number): Promise<{ varbinds: number; summary: string }> {
  const res = await fetch(`${netprobe.baseUrl}/snmp/walk`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
    body: JSON.stringify({ host: snmpd.host, port: snmpd.port, community: COMMUNITY, oid: BIG_TABLE_ROOT, maxRepetitions: 25, maxVarbinds: rows }),
  });
  if (!res.ok || !res.body) throw new Error(`netprobe walk failed: ${res.status} ${await res.text()}`);
  let lines = 0;
  let tail = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
    tail = (tail + Buffer.from(chunk).toString('utf8')).slice(-2000);
  }
  const summary = tail.trim().split('\n').pop() ?? '';
  const hasSummary = summary.includes('"summary"');
  return { varbinds: hasSummary ? lines - 1 : lines, summary };
}
