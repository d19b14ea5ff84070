import { runNodeHelper } from './children.ts';
import type { ProcessRegistry } from './processes.ts';
import { startNetprobe, type Netprobe } from './service.ts';
import { SseCounter } from './sse.ts';
import { encodeTrapV2c } from './trap-datagram.ts';

/** The service, its SSE subscribers, and a sender of v2c traps from a separate process: what the trap tools share. */
export interface TrapRig {
  netprobe: Netprobe;
  subscribers: SseCounter[];
  /** Sends `count` copies of one v2c linkDown trap at `perSecond`. */
  blast(perSecond: number, count: number): Promise<{ sent: number; elapsedMs: number }>;
}

/** Starts netprobe (with NETPROBE_NODE_FLAGS), connects `subscribers` SSE counters, and warms up with 2000 traps. */
export async function startTrapRig(registry: ProcessRegistry, subscribers: number): Promise<TrapRig> {
  const netprobe = await startNetprobe(registry, { nodeFlags: process.env.NETPROBE_NODE_FLAGS?.split(' ').filter(Boolean) ?? [] });
  const counters: SseCounter[] = [];
  for (let i = 0; i < subscribers; i++) {
    const subscriber = new SseCounter();
    await subscriber.connect(`${netprobe.baseUrl}/snmp/traps`);
    counters.push(subscriber);
  }
  const datagram = (await encodeTrapV2c()).toString('hex');
  const blast = (perSecond: number, count: number) =>
    runNodeHelper<{ sent: number; elapsedMs: number }>(registry, 'bench/peers/trap-blaster.ts', ['127.0.0.1', String(netprobe.trapPort), datagram, String(perSecond), String(count)]);
  await blast(2000, 2000); // warm-up
  return { netprobe, subscribers: counters, blast };
}

/**
 * Times the delivery of `count` traps sent at once: `send` sends them, `settle` waits until they are all
 * delivered or delivery stops; the time runs from the start of sending to the last delivery seen.
 */
export async function timeDrain(
  delivered: () => number,
  count: number,
  send: () => Promise<unknown>,
  settle: (expected: number) => Promise<unknown>,
): Promise<{ received: number; seconds: number }> {
  const before = delivered();
  const started = performance.now();
  let lastDelivery = started;
  let last = before;
  const watch = setInterval(() => {
    const now = delivered();
    if (now !== last) {
      last = now;
      lastDelivery = performance.now();
    }
  }, 5);
  try {
    await send();
    await settle(before + count);
  } finally {
    clearInterval(watch);
  }
  return { received: delivered() - before, seconds: (lastDelivery - started) / 1000 };
}
