import { readFileSync } from 'node:fs';
import type { Runtime } from '../../scripts/runtime.ts';
import { runNodeHelper } from '../lib/children.ts';
import { sleep } from '../lib/ports.ts';
import { startNetprobe, type Netprobe } from '../lib/service.ts';
import { SseCounter } from '../lib/sse.ts';
import { stat } from '../lib/stats.ts';
import { encodeTrapV2c } from '../lib/trap-datagram.ts';
import { compare, perRuntime, type Measurement, type Scenario, type ScenarioContext } from '../lib/types.ts';
import { startSnmptrapd } from '../peers/snmptrapd.ts';
import { startRedis } from '../../test/helpers/redis.ts';

const SCENARIO = '4 Trap ingest';
const SUBSCRIBERS = 10;
/** Redis mode: replicas receiving (the traps split evenly between them), the subscribers spread over them. */
const REPLICAS = 2;
const FULL_RATES = [2_000, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 35_000, 40_000, 60_000];
const QUICK_RATES = [500];

interface Step {
  rate: number;
  sent: number;
  /** The rate the sender actually achieved. */
  achieved: number;
  /** Fewest events any receiver got (subscriber, or lines in snmptrapd's log). */
  received: number;
  /** Datagrams the kernel dropped for a full receive buffer during the step (all sockets). */
  kernelDrops: number;
  lossless: boolean;
}

/** A receiver under test: counts what arrived so far (for netprobe: the fewest at any subscriber). */
interface Receiver {
  /** Where the traps go, split evenly (several replicas). */
  targets: { host: string; port: number }[];
  delivered(): number;
  gaps(): number;
}

/** v2c traps replayed at increasing rates; the highest rate each receiver takes with zero loss. */
export const trapsScenario: Scenario = {
  name: 'traps',
  title: 'Trap ingest',
  paths: ['/snmp/traps'],
  async run(context) {
    const { quick, repeat, log, runtimes } = context;
    const rates = quick ? QUICK_RATES : FULL_RATES;
    const stepSeconds = quick ? 0.5 : 1;
    const datagram = (await encodeTrapV2c()).toString('hex');
    // netprobe (TRAP_BUS=memory) on each runtime, in the order of `runtimes`; Redis replicas on production's.
    const best = { netprobe: runtimes.map(() => [] as number[]), workers: [] as number[], redis: [] as number[], snmptrapd: [] as number[] };
    const notes: string[] = [];

    for (let round = 0; round < (quick ? 1 : repeat); round++) {
      const rounds: [number[], string, () => Promise<Step[]>][] = [
        ...runtimes.map((runtime, r): [number[], string, () => Promise<Step[]>] => [
          best.netprobe[r],
          `netprobe on ${runtime.name}`,
          () => memoryLadder(context, runtime, datagram, rates, stepSeconds),
        ]),
        [best.workers, 'netprobe WORKERS=auto', () => memoryLadder(context, runtimes[0], datagram, rates, stepSeconds, { WORKERS: 'auto' })],
        [best.redis, `netprobe, Redis, ${REPLICAS} replicas`, () => redisLadder(context, datagram, rates, stepSeconds)],
        [best.snmptrapd, 'snmptrapd', () => snmptrapdLadder(context, datagram, rates, stepSeconds)],
      ];
      for (const [samples, label, run] of rounds) {
        const steps = await run();
        samples.push(highestLossless(steps));
        log(`round ${round + 1} ${label}: ${describe(steps)}`);
        if (round === 0) notes.push(`${label}: ${describe(steps)}`);
      }
    }

    const note = `${SUBSCRIBERS} SSE subscribers (Redis: ${REPLICAS} replicas on ${runtimes[0].name} receiving, the traps split evenly between them, the subscribers spread over them); ${stepSeconds} s per rate, rates ${rates.join(', ')}/s; a rate counts when every subscriber got every trap. First round: ${notes.join(' | ')}`;
    const redisBest = stat(best.redis);
    const base = { scenario: SCENARIO, metric: `max lossless rate, ${SUBSCRIBERS} subscribers`, unit: 'traps/s', ...perRuntime(runtimes, best.netprobe), note };
    const netprobeBest = base.netprobe;
    const redisBase = { scenario: SCENARIO, metric: `max lossless rate, TRAP_BUS=redis, ${REPLICAS} replicas, ${SUBSCRIBERS} subscribers`, unit: 'traps/s', netprobe: redisBest, note };
    const snmptrapd = { name: 'snmptrapd (log file)', value: stat(best.snmptrapd) };
    const rows: Measurement[] = [
      { ...base, target: { text: '≥ 30 000 traps/s', met: netprobeBest.median >= 30_000 } },
      compare(base, snmptrapd, (r) => ({ text: '≥ 1× (ahead)', met: r >= 1 })),
      { ...redisBase, target: { text: '≥ 30 000 traps/s', met: redisBest.median >= 30_000 } },
      compare(redisBase, { name: 'netprobe, TRAP_BUS=memory (1 process)', value: netprobeBest }),
      compare(
        { scenario: SCENARIO, metric: `max lossless rate, WORKERS=auto (the primary receives, workers stream), ${SUBSCRIBERS} subscribers`, unit: 'traps/s', netprobe: stat(best.workers), note },
        snmptrapd,
        () => ({ text: '≥ 30 000 traps/s', met: stat(best.workers).median >= 30_000 }),
      ),
      compare(redisBase, snmptrapd),
    ];
    return rows;
  },
};

/** One netprobe process (TRAP_BUS=memory) on `runtime` with all the subscribers. */
async function memoryLadder(context: ScenarioContext, runtime: Runtime, datagram: string, rates: number[], stepSeconds: number, env: Record<string, string> = {}): Promise<Step[]> {
  const netprobe = await startNetprobe(context.registry, { runtime, env });
  const subscribers: SseCounter[] = [];
  try {
    for (let i = 0; i < SUBSCRIBERS; i++) subscribers.push(await subscribe(`${netprobe.baseUrl}/snmp/traps`));
    return await ladder(context, subscribersReceiver([{ host: '127.0.0.1', port: netprobe.trapPort }], subscribers), datagram, rates, stepSeconds);
  } finally {
    for (const s of subscribers) s.close();
    await netprobe.stop();
  }
}

/** A redis-server and REPLICAS netprobe processes on TRAP_BUS=redis, each receiving a share of the traps, the subscribers spread over them. */
async function redisLadder(context: ScenarioContext, datagram: string, rates: number[], stepSeconds: number): Promise<Step[]> {
  const { registry } = context;
  const redis = await startRedis([], undefined, registry.spawn.bind(registry));
  const replicas: Netprobe[] = [];
  const subscribers: SseCounter[] = [];
  try {
    const env = { TRAP_BUS: 'redis', REDIS_URL: redis.url, TRAP_STREAM: 'netprobe:bench' };
    replicas.push(...(await Promise.all(Array.from({ length: REPLICAS }, () => startNetprobe(registry, { env, runtime: context.runtimes[0] })))));
    for (const replica of replicas) await busUp(replica.baseUrl);
    for (let i = 0; i < SUBSCRIBERS; i++) subscribers.push(await subscribe(`${replicas[i % REPLICAS].baseUrl}/snmp/traps`));
    const targets = replicas.map((replica) => ({ host: '127.0.0.1', port: replica.trapPort }));
    return await ladder(context, subscribersReceiver(targets, subscribers), datagram, rates, stepSeconds);
  } finally {
    for (const s of subscribers) s.close();
    for (const replica of replicas) await replica.stop();
    await redis.stop();
  }
}

async function snmptrapdLadder(context: ScenarioContext, datagram: string, rates: number[], stepSeconds: number): Promise<Step[]> {
  const trapd = await startSnmptrapd(context.registry);
  try {
    const receiver: Receiver = { targets: [{ host: '127.0.0.1', port: trapd.port }], delivered: () => trapd.count(), gaps: () => 0 };
    return await ladder(context, receiver, datagram, rates, stepSeconds);
  } finally {
    await trapd.stop();
  }
}

async function subscribe(url: string): Promise<SseCounter> {
  const subscriber = new SseCounter();
  await subscriber.connect(url);
  return subscriber;
}

/** Steps through the rates until the first one with a loss. */
async function ladder(context: ScenarioContext, receiver: Receiver, datagram: string, rates: number[], stepSeconds: number): Promise<Step[]> {
  const steps: Step[] = [];
  // Warm-up: the first traps pay for lazy initialization on either side.
  await blast(context, receiver, datagram, 100, 50);
  await settle(receiver, receiver.delivered());
  for (const rate of rates) {
    const count = Math.round(rate * stepSeconds);
    const before = receiver.delivered();
    const gapsBefore = receiver.gaps();
    const dropsBefore = udpReceiveBufferErrors();
    const sent = await blast(context, receiver, datagram, rate, count);
    const received = (await settle(receiver, before + count)) - before;
    const kernelDrops = udpReceiveBufferErrors() - dropsBefore;
    const lossless = received === count && receiver.gaps() === gapsBefore;
    steps.push({ rate, sent: count, achieved: sent.achieved, received, kernelDrops, lossless });
    if (!lossless) break;
    await sleep(200);
  }
  return steps;
}

/** Sends `count` traps at `rate`, split evenly between the receiver's targets (one sender process each, at once). */
async function blast(context: ScenarioContext, receiver: Receiver, datagram: string, rate: number, count: number): Promise<{ achieved: number }> {
  const { targets } = receiver;
  const results = await Promise.all(
    targets.map((target, i) => {
      const share = Math.floor(count / targets.length) + (i < count % targets.length ? 1 : 0);
      return runNodeHelper<{ sent: number; elapsedMs: number }>(context.registry, 'bench/peers/trap-blaster.ts', [
        target.host,
        String(target.port),
        datagram,
        String(rate / targets.length),
        String(share),
      ]);
    }),
  );
  const sent = results.reduce((sum, r) => sum + r.sent, 0);
  const elapsedMs = Math.max(...results.map((r) => r.elapsedMs));
  return { achieved: sent / Math.max(elapsedMs / 1000, 1e-3) };
}

/** netprobe as a receiver: the fewest traps any subscriber got, and the gaps they were told of. */
function subscribersReceiver(targets: Receiver['targets'], subscribers: SseCounter[]): Receiver {
  return {
    targets,
    delivered: () => Math.min(...subscribers.map((s) => s.trapEvents)),
    gaps: () => subscribers.reduce((sum, s) => sum + s.gapEvents, 0),
  };
}

/** Waits until a replica's trap bus is connected to Redis (/readyz says so in its body). */
async function busUp(baseUrl: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const body = (await (await fetch(`${baseUrl}/readyz`)).json()) as { trapBus?: { state: string } };
    if (body.trapBus?.state === 'up') return;
    if (Date.now() > deadline) throw new Error(`${baseUrl}: the trap bus is not up after 20 s (${JSON.stringify(body.trapBus)})`);
    await sleep(50);
  }
}

/** Waits until the receiver has `expected` events, or until nothing more arrives for 750 ms. */
async function settle(receiver: Receiver, expected: number): Promise<number> {
  let last = receiver.delivered();
  let quietSince = performance.now();
  const deadline = performance.now() + 15_000;
  while (last < expected && performance.now() - quietSince < 750 && performance.now() < deadline) {
    await sleep(25);
    const now = receiver.delivered();
    if (now !== last) {
      last = now;
      quietSince = performance.now();
    }
  }
  return last;
}

function highestLossless(steps: Step[]): number {
  // A rate the sender clearly missed counts at the rate it did reach.
  const credited = (s: Step) => (s.achieved >= s.rate * 0.95 ? s.rate : Math.round(s.achieved));
  return steps.filter((s) => s.lossless).reduce((best, s) => Math.max(best, credited(s)), 0);
}

function describe(steps: Step[]): string {
  return steps
    .map((s) => `${s.rate}/s${s.lossless ? ' ok' : ` LOST ${s.sent - s.received} of ${s.sent} (kernel drops ${s.kernelDrops})`}${s.achieved < s.rate * 0.9 ? ` [sender reached ${Math.round(s.achieved)}/s]` : ''}`)
    .join(', ');
}

/** UDP datagrams dropped because a socket's receive buffer was full (/proc/net/snmp, all sockets). */
function udpReceiveBufferErrors(): number {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
    const names = lines[0].split(/\s+/);
    const values = lines[1].split(/\s+/);
    return Number(values[names.indexOf('RcvbufErrors')]);
  } catch {
    return Number.NaN;
  }
}
