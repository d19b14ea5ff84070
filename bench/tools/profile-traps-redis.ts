/**
 * Profiles trap ingest through Redis: `node --import tsx bench/tools/profile-traps-redis.ts [rate] [seconds]`.
 * A redis-server, two replicas (TRAP_BUS=redis) each receiving half of the v2c traps (one sender process
 * each), 10 SSE subscribers spread over them. Prints, every 250 ms, what the slowest subscriber got, each
 * replica's backlog and append latency, then the top functions by self time of each replica.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeHelper } from '../lib/children.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startNetprobe, type Netprobe } from '../lib/service.ts';
import { SseCounter } from '../lib/sse.ts';
import { encodeTrapV2c } from '../lib/trap-datagram.ts';
import { startRedis } from '../../test/helpers/redis.ts';
import { printProfile } from './profile-summary.ts';

const rate = Number(process.argv[2] ?? 20_000);
const seconds = Number(process.argv[3] ?? 2);
const profile = process.env.PROFILE !== '0';

/** UDP counters of /proc/net/snmp (all sockets): datagrams in, and dropped for a full receive buffer. */
function udpCounters(): { inDatagrams: number; rcvbufErrors: number } {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const names = lines[0].split(/\s+/);
  const values = lines[1].split(/\s+/).map(Number);
  return { inDatagrams: values[names.indexOf('InDatagrams')], rcvbufErrors: values[names.indexOf('RcvbufErrors')] };
}
const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
const dirs = [mkdtempSync(join(tmpdir(), 'netprobe-prof-a-')), mkdtempSync(join(tmpdir(), 'netprobe-prof-b-'))];

async function metric(replica: Netprobe, name: string): Promise<number> {
  const text = await (await fetch(`${replica.baseUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
}

try {
  const redis = await startRedis([], undefined, registry.spawn.bind(registry));
  const env = { TRAP_BUS: 'redis', REDIS_URL: redis.url, TRAP_STREAM: 'netprobe:profile' };
  const replicas = await Promise.all(dirs.map((dir) => startNetprobe(registry, { env, nodeFlags: profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [] })));
  await new Promise((r) => setTimeout(r, 1000));
  const subscribers: SseCounter[] = [];
  for (let i = 0; i < 10; i++) {
    const subscriber = new SseCounter();
    await subscriber.connect(`${replicas[i % 2].baseUrl}/snmp/traps`);
    subscribers.push(subscriber);
  }
  const datagram = (await encodeTrapV2c()).toString('hex');
  const total = rate * seconds;
  const udpBefore = udpCounters();
  const started = performance.now();
  const timeline = setInterval(() => {
    void Promise.all(replicas.map(async (r) => [await metric(r, 'netprobe_trap_bus_backlog_events'), await metric(r, 'netprobe_trap_bus_append_seconds_count')])).then((bus) =>
      console.log(
        `${((performance.now() - started) / 1000).toFixed(2)} s: slowest subscriber ${Math.min(...subscribers.map((s) => s.trapEvents))}/${total}, gaps ${subscribers.reduce((n, s) => n + s.gapEvents, 0)}; backlog, batches: ${JSON.stringify(bus)}`,
      ),
    );
  }, 250);
  const sent = await Promise.all(
    replicas.map((replica) =>
      runNodeHelper<{ sent: number; elapsedMs: number }>(registry, 'bench/peers/trap-blaster.ts', ['127.0.0.1', String(replica.trapPort), datagram, String(rate / 2), String(total / 2)]),
    ),
  );
  // Until every subscriber has everything, or nothing more came for a second.
  const slowest = () => Math.min(...subscribers.map((s) => s.trapEvents));
  for (let last = -1, quietSince = Date.now(); slowest() < total && Date.now() - quietSince < 1_000; ) {
    await new Promise((r) => setTimeout(r, 100));
    if (slowest() !== last) [last, quietSince] = [slowest(), Date.now()];
  }
  clearInterval(timeline);
  const udpAfter = udpCounters();
  console.log(`UDP: ${udpAfter.inDatagrams - udpBefore.inDatagrams} datagrams in, ${udpAfter.rcvbufErrors - udpBefore.rcvbufErrors} dropped for a full receive buffer`);
  console.log(JSON.stringify({ sent, received: subscribers.map((s) => s.trapEvents), receivedByReplica: await Promise.all(replicas.map((r) => metric(r, 'netprobe_traps_received_total{version="2c"}'.replace(/[{}"]/g, (c) => `\\${c}`)))) }));
  for (const s of subscribers) s.close();
  for (const replica of replicas) {
    replica.child.kill('SIGINT');
    await new Promise((r) => replica.child.once('exit', r));
  }
  await redis.stop();
} finally {
  await registry.stopAll();
  uninstall();
}
if (profile) for (const dir of dirs) printProfile(dir);
