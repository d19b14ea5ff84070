/**
 * Where a whole-tree walk's time goes: `npx node bench/tools/walk-cost.ts [walks] [baseDir]`. Walks 1.3.6.1 with
 * netprobe (serial as JSON and as NDJSON, and `parallel: 8`) and with snmpbulkwalk -Cr25, and reports per walk the wall time and the
 * CPU time of snmpd and of the walker (utime + stime from /proc): snmpd's CPU is the floor no client can go
 * below, as snmpd answers one request at a time. Each round walks once with every contender, in alternating
 * order, and the figures are medians over the rounds. With `baseDir` (another checkout of netprobe, e.g.
 * `git archive main | tar -x -C /tmp/base` with a node_modules symlink), its serial walk is measured in the
 * same rounds, for a before/after that the machine's load moves alike.
 */
import { spawnSync } from 'node:child_process';
import { processCpuSeconds } from '../lib/proc.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startNetprobe } from '../lib/service.ts';
import { COMMUNITY, SNMP_TOOL_ENV, startSnmpd } from '../peers/snmpd.ts';

const walks = Number(process.argv[2] ?? 5);
const NDJSON = 'application/x-ndjson';
const baseDir = process.argv[3];

const cpuMs = (pid: number) => processCpuSeconds(pid) * 1000;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
try {
  const snmpd = await startSnmpd(registry);
  const netprobe = await startNetprobe(registry);
  const base = baseDir === undefined ? undefined : await startNetprobe(registry, { entry: `${baseDir}/src/main.ts` });
  const netprobeWalk = (baseUrl: string, parallel: number, accept = 'application/json') => async () => {
    const res = await fetch(`${baseUrl}/snmp/walk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ host: snmpd.host, port: snmpd.port, community: COMMUNITY, oid: '1.3.6.1', maxRepetitions: 25, maxVarbinds: 100000, parallel }),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`walk: ${res.status}`);
  };
  const bulkwalk = async () => {
    const r = spawnSync('snmpbulkwalk', ['-m', '', '-On', '-v2c', '-c', COMMUNITY, '-Cr25', `udp:${snmpd.host}:${snmpd.port}`, '1.3.6.1'], { env: SNMP_TOOL_ENV, maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error('snmpbulkwalk failed');
  };
  const contenders: [string, () => Promise<void>, number | undefined][] = [
    ['netprobe serial', netprobeWalk(netprobe.baseUrl, 1), netprobe.pid],
    ['netprobe serial NDJSON', netprobeWalk(netprobe.baseUrl, 1, NDJSON), netprobe.pid],
    ['netprobe parallel 8', netprobeWalk(netprobe.baseUrl, 8), netprobe.pid],
    ['snmpbulkwalk', bulkwalk, undefined],
  ];
  if (base) contenders.push([`base serial (${baseDir})`, netprobeWalk(base.baseUrl, 1), base.pid]);
  if (base) contenders.push([`base serial NDJSON (${baseDir})`, netprobeWalk(base.baseUrl, 1, NDJSON), base.pid]);
  for (const [, walk] of contenders) await walk();
  const figures = new Map(contenders.map(([name]) => [name, { wall: [] as number[], snmpd: [] as number[], walker: [] as number[] }]));
  for (let round = 0; round < walks; round++) {
    for (const [name, walk, pid] of round % 2 === 0 ? contenders : [...contenders].reverse()) {
      const snmpdBefore = cpuMs(snmpd.pids[0]);
      const walkerBefore = pid === undefined ? 0 : cpuMs(pid);
      const started = performance.now();
      await walk();
      const f = figures.get(name)!;
      f.wall.push(performance.now() - started);
      f.snmpd.push(cpuMs(snmpd.pids[0]) - snmpdBefore);
      f.walker.push(pid === undefined ? NaN : cpuMs(pid) - walkerBefore);
    }
  }
  const reference = figures.get('snmpbulkwalk')!.wall;
  const width = Math.max(...contenders.map(([name]) => name.length));
  for (const [name, f] of figures) {
    const walker = median(f.walker);
    const ratio = median(f.wall.map((wall, i) => wall / reference[i]));
    console.log(
      `${name.padEnd(width)} wall ${median(f.wall).toFixed(0).padStart(4)} ms (${ratio.toFixed(2)}× snmpbulkwalk, per round)  snmpd CPU ${median(f.snmpd).toFixed(0).padStart(4)} ms  walker CPU ${Number.isNaN(walker) ? '   —' : walker.toFixed(0).padStart(4)} ms`,
    );
  }
} finally {
  await registry.stopAll();
  uninstall();
}
