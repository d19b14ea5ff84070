import type { Runtime } from '../../scripts/runtime.ts';
import { runNodeHelper } from '../lib/children.ts';
import { sleep } from '../lib/ports.ts';
import { udpReceiveBufferErrors } from '../lib/proc.ts';
import { startNetprobe, type Netprobe } from '../lib/service.ts';
import { SseCounter } from '../lib/sse.ts';
import { stat } from '../lib/stats.ts';
import { encodeTrapV2c } from '../lib/trap-datagram.ts';
import { timeDrain } from '../lib/trap-rig.ts';
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

/** The sustained rate: DRAIN_COUNT traps sent at once, delivered ÷ the time from the first sent to the last delivered. */
interface Drain {
  sent: number;
  received: number;
  seconds: number;
  rate: number;
  kernelDrops: number;
}

interface LadderResult {
  steps: Step[];
  drain: Drain;
}

const FULL_DRAIN_COUNT = 60_000;
const QUICK_DRAIN_COUNT = 500;
/** As fast as the sender goes: far above any receiver's rate, so the receiver alone sets the pace. */
const DRAIN_SEND_RATE = 200_000;

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
    const drains = { netprobe: [] as number[], workers: [] as number[], redis: [] as number[], snmptrapd: [] as number[] };
    const notes: string[] = [];

    for (let round = 0; round < (quick ? 1 : repeat); round++) {
      const rounds: [number[], number[] | undefined, string, () => Promise<LadderResult>][] = [
        ...runtimes.map((runtime, r): [number[], number[] | undefined, string, () => Promise<LadderResult>] => [
          best.netprobe[r],
          r === 0 ? drains.netprobe : undefined,
          `netprobe on ${runtime.name}`,
          () => memoryLadder(context, runtime, datagram, rates, stepSeconds),
        ]),
        [best.workers, drains.workers, 'netprobe WORKERS=auto', () => memoryLadder(context, runtimes[0], datagram, rates, stepSeconds, { WORKERS: 'auto' })],
        [best.redis, drains.redis, `netprobe, Redis, ${REPLICAS} replicas`, () => redisLadder(context, datagram, rates, stepSeconds)],
        [best.snmptrapd, drains.snmptrapd, 'snmptrapd', () => snmptrapdLadder(context, datagram, rates, stepSeconds)],
      ];
      for (const [samples, drainSamples, label, run] of rounds) {
        const { steps, drain } = await run();
        samples.push(highestLossless(steps));
        drainSamples?.push(drain.rate);
        const line = `${describe(steps)}; sustained: ${drain.received} of ${drain.sent} in ${drain.seconds.toFixed(2)} s = ${Math.round(drain.rate)}/s (kernel drops ${drain.kernelDrops})`;
        log(`round ${round + 1} ${label}: ${line}`);
        if (round === 0) notes.push(`${label}: ${line}`);
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
      ...drainRows(drains, quick ? QUICK_DRAIN_COUNT : FULL_DRAIN_COUNT, note),
    ];
    return rows;
  },
};

/** The sustained rates beside snmptrapd's: what the receivers take when the burst outlasts their buffers' help. */
function drainRows(drains: Record<'netprobe' | 'workers' | 'redis' | 'snmptrapd', number[]>, count: number, note: string): Measurement[] {
  const snmptrapd = { name: 'snmptrapd (log file)', value: stat(drains.snmptrapd) };
  const metric = (who: string) => `sustained rate, ${who}${SUBSCRIBERS} subscribers (${count} traps sent at once, until the last is delivered)`;
  return [
    compare({ scenario: SCENARIO, metric: metric(''), unit: 'traps/s', netprobe: stat(drains.netprobe), note }, snmptrapd, (r) => ({ text: '≥ 1× (ahead)', met: r >= 1 })),
    compare({ scenario: SCENARIO, metric: metric('WORKERS=auto, '), unit: 'traps/s', netprobe: stat(drains.workers), note }, snmptrapd),
    compare({ scenario: SCENARIO, metric: metric(`TRAP_BUS=redis, ${REPLICAS} replicas, `), unit: 'traps/s', netprobe: stat(drains.redis), note }, snmptrapd),
  ];
}

/** One netprobe process (TRAP_BUS=memory) on `runtime` with all the subscribers. */
async function memoryLadder(context: ScenarioContext, runtime: Runtime, datagram: string, rates: number[], stepSeconds: number, env: Record<string, string> = {}): Promise<LadderResult> {
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
async function redisLadder(context: ScenarioContext, datagram: string, rates: number[], stepSeconds: number): Promise<LadderResult> {
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

async function snmptrapdLadder(context: ScenarioContext, datagram: string, rates: number[], stepSeconds: number): Promise<LadderResult> {
  const trapd = await startSnmptrapd(context.registry);
  try {
    const receiver: Receiver = { targets: [{ host: '127.0.0.1', port: trapd.port }], delivered: () => trapd.count(), gaps: () => 0 };
    return await ladder(context, receiver, datagram, rates, stepSeconds);
  } finally {
    await trapd.stop();
  }
}

/** Opens a stream; a 503 (with WORKERS, a worker the primary has not welcomed yet) is tried again, as a client would. */
async function subscribe(url: string): Promise<SseCounter> {
  for (let attempt = 1; ; attempt++) {
    const subscriber = new SseCounter();
    try {
      await subscriber.connect(url);
      return subscriber;
    } catch (err) {
      subscriber.close();
      if (attempt >= 50 || !/HTTP 503$/.test((err as Error).message)) throw err;
      await sleep(100);
    }
  }
}

/** Steps through the rates until the first one with a loss, then measures the sustained rate. */
async function ladder(context: ScenarioContext, receiver: Receiver, datagram: string, rates: number[], stepSeconds: number): Promise<LadderResult> {
  const steps: Step[] = [];
  // Warm-up: the first traps pay for lazy initialization on either side. Waited for, so that none of them
  // is counted in the first step.
  const warmUpFrom = receiver.delivered();
  await blast(context, receiver, datagram, 100, 50);
  await settle(receiver, warmUpFrom + 50);
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
  await sleep(500);
  return { steps, drain: await drain(context, receiver, datagram, context.quick ? QUICK_DRAIN_COUNT : FULL_DRAIN_COUNT) };
}

/** Sends `count` traps as fast as the sender goes and times their delivery, from the first sent to the last delivered. */
async function drain(context: ScenarioContext, receiver: Receiver, datagram: string, count: number): Promise<Drain> {
  const dropsBefore = udpReceiveBufferErrors();
  const { received, seconds } = await timeDrain(
    () => receiver.delivered(),
    count,
    () => blast(context, receiver, datagram, DRAIN_SEND_RATE, count),
    (expected) => settle(receiver, expected),
  );
  return { sent: count, received, seconds, rate: received / Math.max(seconds, 1e-3), kernelDrops: udpReceiveBufferErrors() - dropsBefore };
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
