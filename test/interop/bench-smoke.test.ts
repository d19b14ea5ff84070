// Runs every benchmark scenario once at tiny size (`--quick`), so the harness cannot rot.
// It asserts only that each scenario produced numbers, never how fast anything was.
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessRegistry } from '../../bench/lib/processes.ts';
import { servedPaths, startNetprobe } from '../../bench/lib/service.ts';
import { defaultRuntimes, SCENARIOS } from '../../bench/run.ts';

const registry = new ProcessRegistry();
let paths = new Set<string>();
/** As `npm run bench`: the pinned LTS, and the machine's own node when it is another version (Node 20 here). */
const runtimes = defaultRuntimes();
/** The scenarios that report netprobe on every runtime; the others measure production's only. */
const ON_EVERY_RUNTIME = new Set(['snmp-get', 'walk', 'traps', 'footprint']);

beforeAll(async () => {
  const service = await startNetprobe(registry);
  try {
    paths = await servedPaths(service.baseUrl);
  } finally {
    await service.stop();
  }
});

afterAll(async () => {
  await registry.stopAll();
});

describe('npm run bench -- --quick', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: produces a figure for netprobe and for each peer`, async (context) => {
      const missing = scenario.paths.filter((path) => !paths.has(path));
      if (missing.length > 0) context.skip(`the service does not serve ${missing.join(', ')} yet`);
      try {
        const rows = await scenario.run({ registry, quick: true, repeat: 1, runtimes, log: () => undefined });
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          expect(row.scenario).toBeTruthy();
          expect(Number.isFinite(row.netprobe.median), `${row.metric}: netprobe`).toBe(true);
          if (row.runtimes) {
            expect(row.runtimes.map((f) => f.runtime), row.metric).toEqual(runtimes.map((r) => r.name));
            for (const figure of row.runtimes) expect(Number.isFinite(figure.value.median), `${row.metric}: ${figure.runtime}`).toBe(true);
          }
          if (row.peer) expect(Number.isFinite(row.peer.value.median), `${row.metric}: ${row.peer.name}`).toBe(true);
        }
        if (runtimes.length > 1 && ON_EVERY_RUNTIME.has(scenario.name)) {
          expect(rows.filter((row) => row.runtimes).length, 'rows with a figure per runtime').toBeGreaterThan(0);
        }
        // Trap ingest covers the scaled-out mode too: replicas sharing the stream through Redis.
        if (scenario.name === 'traps') expect(rows.some((row) => row.metric.includes('TRAP_BUS=redis'))).toBe(true);
        // GET covers the whole machine too: one HTTP worker per core (WORKERS=auto).
        if (scenario.name === 'snmp-get') expect(rows.some((row) => row.metric.includes('WORKERS=auto') && row.peer)).toBe(true);
        // Issue 17's rows, each beside its peer: GET per core (pinned, where the machine has two CPUs), the
        // parallel walk (on loopback, with the agent's CPU as its floor, and over a slower link), the sustained trap rate and the trap ladder with workers.
        const covered = (scenarioName: string, metric: string) => scenario.name !== scenarioName || rows.some((row) => row.metric.includes(metric) && row.peer);
        expect(covered('snmp-get', 'per core (pinned)') || availableParallelism() < 2).toBe(true);
        expect(covered('walk', 'parallel: 8')).toBe(true);
        expect(covered('walk', "parallel: 8: snmpd's CPU time")).toBe(true);
        expect(covered('walk', 'link, parallel: 8')).toBe(true);
        expect(covered('traps', 'sustained rate')).toBe(true);
        expect(covered('traps', 'WORKERS=auto')).toBe(true);
      } finally {
        await registry.stopAll();
      }
    }, 180_000);
  }
});
