/**
 * Before and after, for work on the GET path: `npx node bench/tools/ab-get.ts [seconds] [rounds]` (3 s, 10 rounds),
 * with the variants in VARIANTS, e.g. the previous commit against this tree:
 *
 *   git worktree add /tmp/before HEAD~1 && ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   VARIANTS='[{"name":"before","entry":"/tmp/before/src/main.ts"},{"name":"after"}]' npx node bench/tools/ab-get.ts
 *
 * Each variant is a service (`entry`, this tree's src/main.ts by default, with `env` added to its environment).
 * All of them run on CPU 1, loaded at once (16 connections each, a one-OID GET) while this process and snmpd run
 * on CPU 0, and each one's CPU time per request is read from /proc. Loading them together, rather than in turn,
 * is what makes a difference of a few per cent visible on a VM whose speed changes from minute to minute: the
 * host's slow moments fall on every variant alike. Prints each variant's figure against the first one's, per
 * round and as the median of the rounds.
 */
import { pinPerCore } from '../lib/affinity.ts';
import { load } from '../lib/load.ts';
import { processCpuSeconds } from '../lib/proc.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startNetprobe, type Netprobe } from '../lib/service.ts';
import { stat } from '../lib/stats.ts';
import { GET_OID } from '../peers/exporters.ts';
import { COMMUNITY, startSnmpd } from '../peers/snmpd.ts';

interface Variant {
  name: string;
  entry?: string;
  env?: Record<string, string>;
}

const seconds = Number(process.argv[2] ?? 3);
const rounds = Number(process.argv[3] ?? 10);
const variants = JSON.parse(process.env.VARIANTS ?? '[{"name":"this tree"}]') as Variant[];

const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
try {
  const snmpd = await startSnmpd(registry);
  const services: Netprobe[] = [];
  for (const variant of variants) services.push(await startNetprobe(registry, { env: variant.env ?? {}, entry: variant.entry }));
  const unpin = pinPerCore({ measured: services.map((s) => s.pid), load: snmpd.pids });
  const body = JSON.stringify({ host: snmpd.host, port: snmpd.port, community: COMMUNITY, oids: [GET_OID] });
  const loadAll = (s: number) =>
    Promise.all(services.map((service) => load({ url: `${service.baseUrl}/snmp/get`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 16, duration: s })));
  await loadAll(5); // warm-up: compiling is not what is measured

  const cpuPerRequest: number[][] = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const before = services.map((s) => processCpuSeconds(s.pid));
    const results = await loadAll(seconds);
    services.forEach((service, i) => cpuPerRequest[i].push(((processCpuSeconds(service.pid) - before[i]) / results[i].ok) * 1e6));
    console.log(`round ${round + 1}: ${variants.map((v, i) => `${v.name} ${cpuPerRequest[i][round].toFixed(1)} µs`).join(', ')}`);
  }
  unpin();

  console.log(`\nCPU per request (median of ${rounds} rounds), and against ${variants[0].name} round by round:`);
  for (const [i, variant] of variants.entries()) {
    const ratio = stat(cpuPerRequest[i].map((us, round) => us / cpuPerRequest[0][round]));
    console.log(`${variant.name.padEnd(16)} ${stat(cpuPerRequest[i]).median.toFixed(1).padStart(6)} µs  ×${ratio.median.toFixed(3)}  (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`);
  }
} finally {
  await registry.stopAll();
  uninstall();
}
