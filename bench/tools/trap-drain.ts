/**
 * The traps scenario's "drain" row on its own, quickly: `npx node bench/tools/trap-drain.ts [count]`. 10 SSE
 * subscribers (`SUBSCRIBERS=N`), `count` v2c traps (default 60 000) sent at once from a separate process;
 * reports the rate at which the slowest subscriber got them (delivered ÷ the time from the first sent to
 * the last delivered), and the service's CPU time per trap when it is saturated (a lower figure than
 * trap-cost.ts gives at a steady rate: each wake-up of the event loop then serves many datagrams).
 * NETPROBE_NODE_FLAGS adds node flags to the service (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
 */
import { sleep } from '../lib/ports.ts';
import { processCpuSeconds, udpReceiveBufferErrors } from '../lib/proc.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startTrapRig, timeDrain } from '../lib/trap-rig.ts';

const count = Number(process.argv[2] ?? 60_000);
const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 10);
if (!(SUBSCRIBERS >= 1)) throw new Error('SUBSCRIBERS: at least 1 (the drain is timed at the subscribers)');
/** As fast as the sender goes: the receiver alone sets the pace. */
const SEND_RATE = 200_000;

const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
try {
  const { netprobe, subscribers, blast } = await startTrapRig(registry, SUBSCRIBERS);
  await sleep(800);
  const delivered = () => Math.min(...subscribers.map((s) => s.trapEvents));
  const cpuBefore = processCpuSeconds(netprobe.pid);
  const dropsBefore = udpReceiveBufferErrors();
  // Until every subscriber has everything, or nothing arrives for two seconds.
  const untilIdle = async (expected: number) => {
    for (let idle = 0; idle < 20 && delivered() < expected; ) {
      const now = delivered();
      await sleep(100);
      idle = delivered() === now ? idle + 1 : 0;
    }
  };
  const { received, seconds } = await timeDrain(delivered, count, () => blast(SEND_RATE, count), untilIdle);
  const cpu = processCpuSeconds(netprobe.pid) - cpuBefore;
  console.log(
    `drain: ${received} of ${count} in ${seconds.toFixed(2)} s = ${Math.round(received / Math.max(seconds, 1e-3))}/s; kernel drops ${udpReceiveBufferErrors() - dropsBefore}; gaps ${subscribers.reduce((n, s) => n + s.gapEvents, 0)}; service CPU ${((cpu / count) * 1e6).toFixed(1)} µs per trap`,
  );
  for (const s of subscribers) s.close();
} finally {
  await registry.stopAll();
  uninstall();
}
