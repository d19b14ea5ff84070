import type { Runtime } from '../../scripts/runtime.ts';
import { compileService } from '../lib/build.ts';
import { readMemory } from '../lib/proc.ts';
import { sleep } from '../lib/ports.ts';
import { startNetprobe } from '../lib/service.ts';
import { SseCounter } from '../lib/sse.ts';
import { perRuntime, type Measurement, type Scenario, type ScenarioContext } from '../lib/types.ts';

const SCENARIO = '6 Footprint';
const FULL_SUBSCRIBERS = 1000;
const QUICK_SUBSCRIBERS = 20;
/**
 * Idle means after V8's memory reducer has run: on Node 24 it gives back about 14 MB some 10 s after start
 * (start-up garbage, and the heap grown while the MIBs were parsed); Node 20 keeps its start-up size.
 */
const IDLE_AFTER_MS = 12_000;

interface Footprint {
  readyMs: number;
  idleMb: number;
  /** Of idleMb, the pages mapped from files. */
  idleFileMb: number;
  loadedMb: number;
}

/**
 * Idle RSS, RSS with 1 000 open SSE subscribers, and time from process start to /readyz 200, on each runtime:
 * `node src/main.ts` as `npm start` and the container run it (Node strips the types, from a warm compile
 * cache; on Node 20, which cannot, tsx does), and the compiled build (`node dist/main.js`, the same code
 * on every runtime, so the runtimes alone differ).
 */
export const footprintScenario: Scenario = {
  name: 'footprint',
  title: 'Footprint',
  paths: ['/readyz', '/snmp/traps'],
  async run(context) {
    const rows: Measurement[] = [];
    const { runtimes } = context;
    const source: Footprint[][] = [];
    for (const runtime of runtimes) {
      if (!context.quick) await warmCompileCache(context, runtime);
      source.push(await measure(context, runtime));
    }
    rows.push(...toRows(runtimes, source, 'node src/main.ts (npm start, the container)', true));
    if (!context.quick) {
      context.log('compiling src/ as `npm run build` does (into a temporary directory)');
      const compiled = await compileService(context.registry);
      try {
        const built: Footprint[][] = [];
        for (const runtime of runtimes) built.push(await measure(context, runtime, compiled.entry));
        rows.push(...toRows(runtimes, built, 'compiled (node dist/main.js)', false));
      } finally {
        compiled.remove();
      }
    }
    return rows;
  },
};

/** One start, not measured: it fills the compile cache that `npm start` and the container start from. */
async function warmCompileCache({ registry }: ScenarioContext, runtime: Runtime): Promise<void> {
  if (!runtime.stripsTypes) return;
  const netprobe = await startNetprobe(registry, { runtime });
  await netprobe.stop();
}

async function measure({ registry, quick, repeat, log }: ScenarioContext, runtime: Runtime, entry?: string): Promise<Footprint[]> {
  const subscriberCount = quick ? QUICK_SUBSCRIBERS : FULL_SUBSCRIBERS;
  const runs: Footprint[] = [];
  for (let i = 0; i < (quick ? 1 : repeat); i++) {
    const netprobe = await startNetprobe(registry, { runtime, entry });
    const subscribers: SseCounter[] = [];
    try {
      await sleep(quick ? 300 : 2000);
      const startedMb = readMemory(netprobe.pid).rssMb;
      if (!quick) await sleep(IDLE_AFTER_MS - 2000);
      const { rssMb: idleMb, rssFileMb: idleFileMb } = readMemory(netprobe.pid);
      // Connected in slices: a thousand simultaneous connects would only measure the accept backlog.
      for (let opened = 0; opened < subscriberCount; opened += 50) {
        const slice = Array.from({ length: Math.min(50, subscriberCount - opened) }, () => new SseCounter());
        await Promise.all(slice.map((s) => s.connect(`${netprobe.baseUrl}/snmp/traps`)));
        subscribers.push(...slice);
      }
      await sleep(quick ? 300 : 1000);
      const loadedMb = readMemory(netprobe.pid).rssMb;
      runs.push({ readyMs: netprobe.readyMs, idleMb, idleFileMb, loadedMb });
      log(
        `${runtime.name}, ${entry ? 'compiled' : 'src/main.ts'}, run ${i + 1}: ready in ${netprobe.readyMs.toFixed(0)} ms, ${startedMb.toFixed(1)} MB 2 s after, idle ${idleMb.toFixed(1)} MB (${idleFileMb.toFixed(1)} MB of file pages), ${subscriberCount} subscribers ${loadedMb.toFixed(1)} MB`,
      );
    } finally {
      for (const s of subscribers) s.close();
      await netprobe.stop();
    }
  }
  return runs;
}

/** `runs[r]`: the runs on runtimes[r]. */
function toRows(runtimes: readonly Runtime[], runs: Footprint[][], how: string, judged: boolean): Measurement[] {
  const figures = (key: keyof Footprint) => perRuntime(runtimes, runs.map((rs) => rs.map((r) => r[key])));
  const idle = figures('idleMb');
  const idleFile = figures('idleFileMb');
  const loaded = figures('loadedMb');
  const ready = figures('readyMs');
  const note = `LOG_LEVEL=warn; RSS from /proc/<pid>/status, idle ${IDLE_AFTER_MS / 1000} s after /readyz (once V8's memory reducer has run); targets judged on the production runtime as the container runs it; Node 20 cannot strip types and runs src/main.ts through tsx`;
  const label = (metric: string) => `${metric}, ${how}`;
  const target = (text: string, met: boolean) => (judged ? { target: { text, met } } : {});
  return [
    { scenario: SCENARIO, metric: label('idle RSS'), unit: 'MB', ...idle, ...target('< 80 MB', idle.netprobe.median < 80), note },
    { scenario: SCENARIO, metric: label('idle RSS: of it, file pages (node binary, libraries)'), unit: 'MB', ...idleFile, note },
    { scenario: SCENARIO, metric: label('RSS with 1 000 SSE subscribers'), unit: 'MB', ...loaded, ...target('< 150 MB', loaded.netprobe.median < 150), note },
    { scenario: SCENARIO, metric: label('start → /readyz 200'), unit: 'ms', ...ready, ...target('< 1 500 ms', ready.netprobe.median < 1500), note },
  ];
}
