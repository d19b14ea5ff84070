/**
 * What SO_REUSEPORT buys: `npx node bench/tools/reuse-port.ts [processes] [seconds] [rounds]` (default
 * 2, 5, 3). netprobe runs on the production runtime (the pinned LTS; Node 20 has no reusePort). Starts snmpd, one netprobe alone, and `processes` netprobes sharing one HTTP port and one trap port
 * (HTTP_REUSE_PORT, TRAP_REUSE_PORT), all on loopback. Then, interleaved over the rounds, POST /snmp/get and
 * GET /healthz at 32 connections against the lone process and against the shared port, with each shared
 * process's CPU time (the kernel spreads connections among them); and traps from 64 source ports to the
 * shared trap port, counted per process (the kernel spreads senders, by address and port, not datagrams).
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { load, type LoadResult } from '../lib/load.ts';
import { freeTcpPort, freeUdpPort, sleep } from '../lib/ports.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startNetprobe, type Netprobe } from '../lib/service.ts';
import { defaultRuntimes } from '../run.ts';
import { stat } from '../lib/stats.ts';
import { encodeTrapV2c } from '../lib/trap-datagram.ts';
import { GET_OID } from '../peers/exporters.ts';
import { COMMUNITY, startSnmpd } from '../peers/snmpd.ts';

const processes = Number(process.argv[2] ?? 2);
const seconds = Number(process.argv[3] ?? 5);
const rounds = Number(process.argv[4] ?? 3);
const runtime = defaultRuntimes()[0];
const SENDERS = 64;
const TRAPS_PER_SENDER = 50;

/** User + system CPU time of a process, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function trapsReceived(netprobe: Netprobe): Promise<number> {
  const text = await fetch(`${netprobe.baseUrl}/metrics`).then((r) => r.text());
  return [...text.matchAll(/^netprobe_traps_received_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
try {
  const snmpd = await startSnmpd(registry);
  const alone = await startNetprobe(registry, { runtime });
  const port = await freeTcpPort();
  const trapPort = await freeUdpPort();
  const shared: Netprobe[] = [];
  for (let i = 0; i < processes; i++) {
    shared.push(await startNetprobe(registry, { runtime, port, trapPort, env: { HTTP_REUSE_PORT: 'true', TRAP_REUSE_PORT: 'true' } }));
  }
  const body = JSON.stringify({ host: snmpd.host, port: snmpd.port, community: COMMUNITY, oids: [GET_OID] });
  const get = (baseUrl: string, duration = seconds) =>
    load({ url: `${baseUrl}/snmp/get`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 32, duration });
  const health = (baseUrl: string) => load({ url: `${baseUrl}/healthz`, connections: 32, duration: seconds });
  await get(alone.baseUrl, 1); // warm-up
  await get(shared[0].baseUrl, 1);

  const runs = { alone: [] as LoadResult[], shared: [] as LoadResult[], aloneHealth: [] as LoadResult[], sharedHealth: [] as LoadResult[] };
  const cpuShares: number[][] = [];
  for (let round = 0; round < rounds; round++) {
    runs.alone.push(await get(alone.baseUrl));
    const before = shared.map((n) => cpuMs(n.pid));
    runs.shared.push(await get(shared[0].baseUrl));
    const used = shared.map((n, i) => cpuMs(n.pid) - before[i]);
    cpuShares.push(used);
    runs.aloneHealth.push(await health(alone.baseUrl));
    runs.sharedHealth.push(await health(shared[0].baseUrl));
    console.error(
      `round ${round + 1}: /snmp/get alone ${runs.alone[round].requestsPerSecond.toFixed(0)} req/s, ${processes} sharing ${runs.shared[round].requestsPerSecond.toFixed(0)} req/s (CPU ms per process ${used.join(', ')}); /healthz alone ${runs.aloneHealth[round].requestsPerSecond.toFixed(0)}, sharing ${runs.sharedHealth[round].requestsPerSecond.toFixed(0)}`,
    );
  }

  // Traps from SENDERS source ports: how the kernel spreads them over the processes.
  const datagram = await encodeTrapV2c();
  const before = await Promise.all(shared.map(trapsReceived));
  for (let s = 0; s < SENDERS; s++) {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    for (let i = 0; i < TRAPS_PER_SENDER; i++) await new Promise<void>((resolve) => socket.send(datagram, trapPort, '127.0.0.1', () => resolve()));
    socket.close();
  }
  await sleep(1000);
  const perProcess = (await Promise.all(shared.map(trapsReceived))).map((n, i) => n - before[i]);

  const fmt = (results: LoadResult[]) => {
    const s = stat(results.map((r) => r.requestsPerSecond));
    return `${s.median.toFixed(0)} req/s (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
  };
  console.log(`netprobe on ${runtime.name}, ${rounds} rounds of ${seconds} s\n`);
  console.log(`| | 1 process | ${processes} processes, one port (reusePort) |`);
  console.log('| --- | --- | --- |');
  console.log(`| POST /snmp/get @32 | ${fmt(runs.alone)} | ${fmt(runs.shared)} |`);
  console.log(`| GET /healthz @32 | ${fmt(runs.aloneHealth)} | ${fmt(runs.sharedHealth)} |`);
  console.log(`| CPU ms per process during /snmp/get (median round) | — | ${cpuShares[Math.floor(cpuShares.length / 2)].join(' / ')} |`);
  console.log(`| traps from ${SENDERS} source ports × ${TRAPS_PER_SENDER}, received per process | — | ${perProcess.join(' / ')} (of ${SENDERS * TRAPS_PER_SENDER}) |`);
} finally {
  await registry.stopAll();
  uninstall();
}
