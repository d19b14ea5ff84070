import { compileService } from '../lib/build.ts';
import { readMemory } from '../lib/proc.ts';
import { sleep } from '../lib/ports.ts';
import { startNetprobe } from '../lib/service.ts';
import { SseCounter } from '../lib/sse.ts';
import { stat } from '../lib/stats.ts';
import type { Measurement, Scenario, ScenarioContext } from '../lib/types.ts';

const SCENARIO = '6 Footprint';
const FULL_SUBSCRIBERS = 1000;
const QUICK_SUBSCRIBERS = 20;

interface Footprint {
  readyMs: number;
  idleMb: number;
  loadedMb: number;
}

/**
 * Idle RSS, RSS with 1 000 open SSE subscribers, and time from process start to /readyz 200: for the
 * compiled build (what the container runs: `node dist/main.js`) and for `npm start` (tsx, compiles on load).
 */
export const footprintScenario: Scenario = {
  name: 'footprint',
  title: 'Footprint',
  paths: ['/readyz', '/snmp/traps'],
  async run(context) {
    const rows: Measurement[] = [];
    if (!context.quick) {
      context.log('compiling src/ as `npm run build` does (into a temporary directory)');
      const compiled = await compileService(context.registry);
      try {
        rows.push(...toRows(await measure(context, compiled.entry), 'compiled (node dist/main.js, the container)', true));
      } finally {
        compiled.remove();
      }
    }
    rows.push(...toRows(await measure(context), 'npm start (node --import tsx src/main.ts)', context.quick));
    return rows;
  },
};

async function measure({ registry, quick, repeat, log }: ScenarioContext, entry?: string): Promise<Footprint[]> {
  const subscriberCount = quick ? QUICK_SUBSCRIBERS : FULL_SUBSCRIBERS;
  const runs: Footprint[] = [];
  for (let i = 0; i < (quick ? 1 : repeat); i++) {
    const netprobe = await startNetprobe(registry, { entry });
    const subscribers: SseCounter[] = [];
    try {
      await sleep(quick ? 300 : 2000); // let start-up garbage settle
      const idleMb = readMemory(netprobe.pid).rssMb;
      // Connected in slices: a thousand simultaneous connects would only measure the accept backlog.
      for (let opened = 0; opened < subscriberCount; opened += 50) {
        const slice = Array.from({ length: Math.min(50, subscriberCount - opened) }, () => new SseCounter());
        await Promise.all(slice.map((s) => s.connect(`${netprobe.baseUrl}/snmp/traps`)));
        subscribers.push(...slice);
      }
      await sleep(quick ? 300 : 1000);
      const loadedMb = readMemory(netprobe.pid).rssMb;
      runs.push({ readyMs: netprobe.readyMs, idleMb, loadedMb });
      log(`${entry ? 'compiled' : 'tsx'} run ${i + 1}: ready in ${netprobe.readyMs.toFixed(0)} ms, idle ${idleMb.toFixed(1)} MB, ${subscriberCount} subscribers ${loadedMb.toFixed(1)} MB`);
    } finally {
      for (const s of subscribers) s.close();
      await netprobe.stop();
    }
  }
  return runs;
}

function toRows(runs: Footprint[], how: string, judged: boolean): Measurement[] {
  const idle = stat(runs.map((r) => r.idleMb));
  const loaded = stat(runs.map((r) => r.loadedMb));
  const ready = stat(runs.map((r) => r.readyMs));
  const note = 'LOG_LEVEL=warn; RSS from /proc/<pid>/status; targets judged on the compiled build, what the container runs';
  const label = (metric: string) => `${metric}, ${how}`;
  const target = (text: string, met: boolean) => (judged ? { target: { text, met } } : {});
  return [
    { scenario: SCENARIO, metric: label('idle RSS'), unit: 'MB', netprobe: idle, ...target('< 80 MB', idle.median < 80), note },
    { scenario: SCENARIO, metric: label('RSS with 1 000 SSE subscribers'), unit: 'MB', netprobe: loaded, ...target('< 150 MB', loaded.median < 150), note },
    { scenario: SCENARIO, metric: label('start → /readyz 200'), unit: 'ms', netprobe: ready, ...target('< 1 000 ms', ready.median < 1000), note },
  ];
}
