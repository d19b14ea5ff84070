/**
 * CPU cost of one trap: `npx node bench/tools/trap-cost.ts [rate] [seconds]`. 10 SSE subscribers, v2c traps
 * replayed at `rate` per second (default 10 000, below the lossless limit) from a separate process; reports
 * what each subscriber got and the service's CPU time (utime + stime from /proc) per trap: the figure that
 * bounds the lossless rate (1 s ÷ CPU per trap), and moves little with the machine's load.
 * NETPROBE_NODE_FLAGS adds node flags to the service (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
 */
import { sleep } from '../lib/ports.ts';
import { processCpuSeconds, udpReceiveBufferErrors } from '../lib/proc.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startTrapRig } from '../lib/trap-rig.ts';

const rate = Number(process.argv[2] ?? 10_000);
const seconds = Number(process.argv[3] ?? 3);
const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 10);

const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
try {
  const { netprobe, subscribers, blast } = await startTrapRig(registry, SUBSCRIBERS);
  await sleep(500);
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
