import { readFileSync } from 'node:fs';
import type { Runtime } from '../../scripts/runtime.ts';
import { runNodeHelper } from '../lib/children.ts';
import { sleep } from '../lib/ports.ts';
import { startNetprobe } from '../lib/service.ts';
import { SseCounter } from '../lib/sse.ts';
import { stat } from '../lib/stats.ts';
import { encodeTrapV2c } from '../lib/trap-datagram.ts';
import { compare, perRuntime, type Measurement, type Scenario, type ScenarioContext } from '../lib/types.ts';
import { startSnmptrapd } from '../peers/snmptrapd.ts';

const SCENARIO = '4 Trap ingest';
const SUBSCRIBERS = 10;
const FULL_RATES = [2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 40_000, 60_000];
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
  host: string;
  port: number;
  delivered(): number;
  gaps(): number;
}

/** v2c traps replayed at increasing rates; the highest rate each receiver (netprobe on each runtime) takes with zero loss. */
export const trapsScenario: Scenario = {
  name: 'traps',
  title: 'Trap ingest',
  paths: ['/snmp/traps'],
  async run(context) {
    const { registry, quick, repeat, log, runtimes } = context;
    const rates = quick ? QUICK_RATES : FULL_RATES;
    const stepSeconds = quick ? 0.5 : 1;
    const datagram = (await encodeTrapV2c()).toString('hex');
    // netprobe's best rate per runtime, in the order of `runtimes`.
    const best = { netprobe: runtimes.map(() => [] as number[]), snmptrapd: [] as number[] };
    const notes: string[] = [];

    for (let round = 0; round < (quick ? 1 : repeat); round++) {
      for (const [r, runtime] of runtimes.entries()) {
        const steps = await netprobeLadder(context, runtime, datagram, rates, stepSeconds);
        best.netprobe[r].push(highestLossless(steps));
        log(`round ${round + 1} netprobe on ${runtime.name}: ${describe(steps)}`);
        if (round === 0) notes.push(`netprobe on ${runtime.name}: ${describe(steps)}`);
      }

      const trapd = await startSnmptrapd(registry);
      try {
        const receiver: Receiver = { host: '127.0.0.1', port: trapd.port, delivered: () => trapd.count(), gaps: () => 0 };
        const steps = await ladder(context, receiver, datagram, rates, stepSeconds);
        best.snmptrapd.push(highestLossless(steps));
        log(`round ${round + 1} snmptrapd: ${describe(steps)}`);
        if (round === 0) notes.push(`snmptrapd: ${describe(steps)}`);
      } finally {
        await trapd.stop();
      }
    }

    const note = `${SUBSCRIBERS} SSE subscribers; ${stepSeconds} s per rate, rates ${rates.join(', ')}/s; a rate counts when every subscriber got every trap. First round: ${notes.join(' | ')}`;
    const base = { scenario: SCENARIO, metric: `max lossless rate, ${SUBSCRIBERS} subscribers`, unit: 'traps/s', ...perRuntime(runtimes, best.netprobe), note };
    const rows: Measurement[] = [
      { ...base, target: { text: '≥ 20 000 traps/s', met: base.netprobe.median >= 20_000 } },
      compare(base, { name: 'snmptrapd (log file)', value: stat(best.snmptrapd) }, (r) => ({ text: '≥ 1× (ahead)', met: r >= 1 })),
    ];
    return rows;
  },
};

/** netprobe on one runtime with SUBSCRIBERS SSE clients: the ladder of rates, counted at the slowest client. */
async function netprobeLadder(context: ScenarioContext, runtime: Runtime, datagram: string, rates: number[], stepSeconds: number): Promise<Step[]> {
  const netprobe = await startNetprobe(context.registry, { runtime });
  const subscribers: SseCounter[] = [];
  try {
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const subscriber = new SseCounter();
      await subscriber.connect(`${netprobe.baseUrl}/snmp/traps`);
      subscribers.push(subscriber);
    }
    const receiver: Receiver = {
      host: '127.0.0.1',
      port: netprobe.trapPort,
      delivered: () => Math.min(...subscribers.map((s) => s.trapEvents)),
      gaps: () => subscribers.reduce((sum, s) => sum + s.gapEvents, 0),
    };
    return await ladder(context, receiver, datagram, rates, stepSeconds);
  } finally {
    for (const s of subscribers) s.close();
    await netprobe.stop();
  }
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

async function blast(context: ScenarioContext, receiver: Receiver, datagram: string, rate: number, count: number): Promise<{ achieved: number }> {
  const result = await runNodeHelper<{ sent: number; elapsedMs: number }>(context.registry, 'bench/peers/trap-blaster.ts', [
    receiver.host,
    String(receiver.port),
    datagram,
    String(rate),
    String(count),
  ]);
  return { achieved: result.sent / Math.max(result.elapsedMs / 1000, 1e-3) };
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
