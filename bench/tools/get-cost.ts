/**
 * CPU cost of one GET, per contender: `npx node bench/tools/get-cost.ts [seconds] [rounds]` (5 s, 2 rounds). Runs the per-core split of
 * the snmp-get scenario (the contender alone on CPU 1, the load and snmpd on CPU 0) and divides each process's
 * CPU time (utime + stime from /proc) by the requests it answered: a figure that moves little with the
 * machine's load, unlike throughput, so it can guide work on the hot path. The first round after the 1-s warm-up
 * costs netprobe about 1.7× the later ones (390–450 against 200–250 µs here): V8's worker threads, on the same core,
 * take 20–40% of it then against 12–15% later, while the garbage collector runs less often than later: compiling.
 */
import { pinPerCore } from '../lib/affinity.ts';
import { load } from '../lib/load.ts';
import { processCpuSeconds } from '../lib/proc.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startNetprobe } from '../lib/service.ts';
import { GET_OID, SNMP_EXPORTER_GET_MODULE, startSnmpExporter } from '../peers/exporters.ts';
import { COMMUNITY, startSnmpd } from '../peers/snmpd.ts';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 2);

const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
try {
  const snmpd = await startSnmpd(registry);
  // NETPROBE_ENV (JSON) adds to the service's environment; NETPROBE_NODE_FLAGS to its node flags (e.g. --cpu-prof).
const netprobe = await startNetprobe(registry, {
    env: process.env.NETPROBE_ENV ? (JSON.parse(process.env.NETPROBE_ENV) as Record<string, string>) : {},
    nodeFlags: process.env.NETPROBE_NODE_FLAGS?.split(' ').filter(Boolean) ?? [],
  });
  const exporter = await startSnmpExporter(registry, '1.3.6.1', { GOMAXPROCS: '1' });
  const unpin = pinPerCore({ measured: [netprobe.pid, exporter.pid], load: snmpd.pids });
  const body = JSON.stringify({ host: snmpd.host, port: snmpd.port, community: COMMUNITY, oids: [GET_OID] });
  const contenders = [
    { name: 'netprobe', pid: netprobe.pid, run: (s: number) => load({ url: `${netprobe.baseUrl}/snmp/get`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 32, duration: s }) },
    { name: 'snmp_exporter', pid: exporter.pid, run: (s: number) => load({ url: `${exporter.baseUrl}/snmp?target=${snmpd.host}:${snmpd.port}&module=${SNMP_EXPORTER_GET_MODULE}`, connections: 32, duration: s }) },
  ];
  for (const c of contenders) await c.run(1);
  for (let round = 0; round < rounds; round++) {
    for (const c of contenders) {
      const before = processCpuSeconds(c.pid);
      const result = await c.run(seconds);
      const used = processCpuSeconds(c.pid) - before;
      console.log(`${c.name.padEnd(14)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  ${((used / result.ok) * 1e6).toFixed(1).padStart(6)} µs CPU per request  (CPU ${(used / (result.durationMs / 1000) * 100).toFixed(0)}%)`);
    }
  }
  unpin();
} finally {
  await registry.stopAll();
  uninstall();
}
