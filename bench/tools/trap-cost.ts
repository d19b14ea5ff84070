/**
 * CPU cost of one trap: `npx node bench/tools/trap-cost.ts [rate] [seconds]`. 10 SSE subscribers, v2c traps
 * replayed at `rate` per second (default 10 000, below the lossless limit) from a separate process; reports
 * what each subscriber got and the service's CPU time (utime + stime from /proc) per trap: the figure that
 * bounds the lossless rate (1 s ÷ CPU per trap), and moves little with the machine's load.
 * NETPROBE_NODE_FLAGS adds node flags to the service (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
 */
import { runNodeHelper } from '../lib/children.ts';
import { processCpuSeconds, udpReceiveBufferErrors } from '../lib/proc.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startNetprobe } from '../lib/service.ts';
import { SseCounter } from '../lib/sse.ts';
import { encodeTrapV2c } from '../lib/trap-datagram.ts';

const rate = Number(process.argv[2] ?? 10_000);
const seconds = Number(process.argv[3] ?? 3);
const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 10);

const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
try {
  const netprobe = await startNetprobe(registry, { nodeFlags: process.env.NETPROBE_NODE_FLAGS?.split(' ').filter(Boolean) ?? [] });
  const subscribers: SseCounter[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const subscriber = new SseCounter();
    await subscriber.connect(`${netprobe.baseUrl}/snmp/traps`);
    subscribers.push(subscriber);
  }
  const datagram = (await encodeTrapV2c()).toString('hex');
  const blast = (perSecond: number, count: number) =>
    runNodeHelper<{ sent: number; elapsedMs: number }>(registry, 'bench/peers/trap-blaster.ts', ['127.0.0.1', String(netprobe.trapPort), datagram, String(perSecond), String(count)]);
  await blast(2000, 2000); // warm-up
  await new Promise((r) => setTimeout(r, 500));
  const before = processCpuSeconds(netprobe.pid);
  const got = subscribers.map((s) => s.trapEvents);
  const dropsBefore = udpReceiveBufferErrors();
  await blast(rate, rate * seconds);
  // Until every subscriber has everything, or nothing arrives for a second.
  let last = -1;
  while (Math.min(...subscribers.map((s, i) => s.trapEvents - got[i])) < rate * seconds) {
    const now = subscribers.reduce((sum, s) => sum + s.trapEvents, 0);
    if (now === last) break;
    last = now;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const used = processCpuSeconds(netprobe.pid) - before;
  const kernelDrops = udpReceiveBufferErrors() - dropsBefore;
  const received = subscribers.map((s, i) => s.trapEvents - got[i]);
  console.log(`sent ${rate * seconds} at ${rate}/s; each subscriber got ${Math.min(...received)}–${Math.max(...received)}; kernel drops ${kernelDrops}; gaps ${subscribers.reduce((n, s) => n + s.gapEvents, 0)}; service CPU ${(used * 1000).toFixed(0)} ms: ${((used / (rate * seconds)) * 1e6).toFixed(1)} µs per trap (bound ≈ ${Math.round(1 / (used / (rate * seconds)))} traps/s per core)`);
  for (const s of subscribers) s.close();
} finally {
  await registry.stopAll();
  uninstall();
}
