/**
 * Where a whole-tree walk's time goes: `npx node bench/tools/walk-cost.ts [walks]`. Walks 1.3.6.1 with netprobe
 * (serial, and `parallel: 8`) and with snmpbulkwalk -Cr25, and reports per walk the wall time and the CPU time
 * of snmpd and of the walker (utime + stime from /proc): snmpd's CPU is the floor no client can go below, as
 * snmpd answers one request at a time.
 */
import { spawnSync } from 'node:child_process';
import { processCpuSeconds } from '../lib/proc.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startNetprobe } from '../lib/service.ts';
import { COMMUNITY, SNMP_TOOL_ENV, startSnmpd } from '../peers/snmpd.ts';

const walks = Number(process.argv[2] ?? 5);

const cpuMs = (pid: number) => processCpuSeconds(pid) * 1000;

const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
try {
  const snmpd = await startSnmpd(registry);
  const netprobe = await startNetprobe(registry);
  const netprobeWalk = (parallel: number) => async () => {
    const res = await fetch(`${netprobe.baseUrl}/snmp/walk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
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
    ['netprobe serial', netprobeWalk(1), netprobe.pid],
    ['netprobe parallel 8', netprobeWalk(8), netprobe.pid],
    ['snmpbulkwalk', bulkwalk, undefined],
  ];
  for (const [, walk] of contenders) await walk();
  for (const [name, walk, pid] of contenders) {
    const snmpdBefore = cpuMs(snmpd.pids[0]);
    const walkerBefore = pid === undefined ? 0 : cpuMs(pid);
    const started = performance.now();
    for (let i = 0; i < walks; i++) await walk();
    const wall = (performance.now() - started) / walks;
    const snmpdCpu = (cpuMs(snmpd.pids[0]) - snmpdBefore) / walks;
    const walkerCpu = pid === undefined ? NaN : (cpuMs(pid) - walkerBefore) / walks;
    console.log(`${name.padEnd(20)} wall ${wall.toFixed(0).padStart(4)} ms  snmpd CPU ${snmpdCpu.toFixed(0).padStart(4)} ms  walker CPU ${Number.isNaN(walkerCpu) ? '   —' : walkerCpu.toFixed(0).padStart(4)} ms`);
  }
} finally {
  await registry.stopAll();
  uninstall();
}
