import { availableParallelism } from 'node:os';
import { canPinPerCore, LOAD_CPU, MEASURED_CPU, pinPerCore } from '../lib/affinity.ts';
import { runNodeHelper } from '../lib/children.ts';
import { load, type LoadResult } from '../lib/load.ts';
import type { Runtime } from '../../scripts/runtime.ts';
import { startNetprobe, type Netprobe } from '../lib/service.ts';
import { stat } from '../lib/stats.ts';
import { compare, perRuntime, type Measurement, type PeerFigure, type Scenario, type ScenarioContext } from '../lib/types.ts';
import { GET_OID, SNMP_EXPORTER_GET_MODULE, startSnmpExporter } from '../peers/exporters.ts';
import { COMMUNITY, startSnmpd, type BenchSnmpd } from '../peers/snmpd.ts';

const CONCURRENCY = 32;
const SCENARIO = '1 SNMP GET';

interface DirectResult {
  requests: number;
  failures: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Load before the measured runs, for every contender alike. V8 compiles the hot path over the first seconds
 * (more of them for WORKERS=auto, whose workers each see half the requests): after 1 s, the first measured
 * run of netprobe was 0.7x of the next ones (3 826 against 5 336 and 5 456 req/s on 2026-12-04), and of
 * WORKERS=auto 0.65x of the third (5 407 against 8 380); snmp_exporter's runs did not move.
 */
const WARM_UP_S = 5;

/** /snmp/get of one OID at concurrency 32 vs net-snmp directly (the ceiling) vs snmp_exporter, on each runtime. */
export const snmpGetScenario: Scenario = {
  name: 'snmp-get',
  title: 'SNMP GET throughput',
  paths: ['/snmp/get'],
  async run({ registry, quick, repeat, log, runtimes }) {
    const duration = quick ? 1 : 5;
    const snmpd = await startSnmpd(registry);
    const netprobes: Netprobe[] = [];
    const exporter = await startSnmpExporter(registry);
    let wholeMachine: Netprobe | undefined;
    try {
      for (const runtime of runtimes) netprobes.push(await startNetprobe(registry, { runtime }));
      wholeMachine = await startNetprobe(registry, { env: { WORKERS: 'auto' } });
      const getBody = JSON.stringify({ host: snmpd.host, port: snmpd.port, community: COMMUNITY, oids: [GET_OID] });
      const netprobeRun = (netprobe: Netprobe, seconds = duration) =>
        load({ url: `${netprobe.baseUrl}/snmp/get`, method: 'POST', headers: { 'content-type': 'application/json' }, body: getBody, connections: CONCURRENCY, duration: seconds });
      const exporterLoad = (baseUrl: string, seconds: number) =>
        load({ url: `${baseUrl}/snmp?target=${snmpd.host}:${snmpd.port}&module=${SNMP_EXPORTER_GET_MODULE}`, connections: CONCURRENCY, duration: seconds });
      const exporterRun = (seconds = duration) => exporterLoad(exporter.baseUrl, seconds);
      const directRun = async (): Promise<LoadResult> => {
        const r = await runNodeHelper<DirectResult>(registry, 'bench/peers/direct-get.ts', [
          snmpd.host,
          String(snmpd.port),
          GET_OID,
          String(CONCURRENCY),
          String(duration * 1000),
        ]);
        if (r.failures > r.requests * 0.01) throw new Error(`direct net-snmp: ${r.failures} failures`);
        return { requestsPerSecond: r.requests / (r.elapsedMs / 1000), p50Ms: r.p50Ms, p99Ms: r.p99Ms, durationMs: r.elapsedMs, ok: r.requests, failed: r.failures };
      };

      for (const netprobe of [...netprobes, wholeMachine]) await checkAnswers(netprobe.baseUrl, exporter.baseUrl, snmpd.host, snmpd.port);
      if (!quick) {
        log(`warm-up (${WARM_UP_S} s each)`);
        for (const netprobe of [...netprobes, wholeMachine]) await netprobeRun(netprobe, WARM_UP_S);
        await exporterRun(WARM_UP_S);
      }
      // The service's HTTP stack alone (no SNMP at all): what any route of this process can reach here.
      const healthRun = (netprobe: Netprobe) => load({ url: `${netprobe.baseUrl}/healthz`, connections: CONCURRENCY, duration });
      const runs: Runs = { netprobe: runtimes.map(() => []), health: runtimes.map(() => []), direct: [], exporter: [], wholeMachine: [] };
      for (let i = 0; i < repeat; i++) {
        // Interleaved, so that drift on the machine hits every contender (and every runtime) alike.
        for (const [r, netprobe] of netprobes.entries()) runs.netprobe[r].push(await netprobeRun(netprobe));
        runs.direct.push(await directRun());
        runs.exporter.push(await exporterRun());
        runs.wholeMachine.push(await netprobeRun(wholeMachine));
        for (const [r, netprobe] of netprobes.entries()) runs.health[r].push(await healthRun(netprobe));
        const each = (results: LoadResult[][]) => runtimes.map((rt, r) => `${results[r][i].requestsPerSecond.toFixed(0)} req/s on ${rt.name}`).join(', ');
        log(
          `run ${i + 1}/${repeat}: netprobe ${each(runs.netprobe)}, net-snmp ${runs.direct[i].requestsPerSecond.toFixed(0)} req/s, snmp_exporter ${runs.exporter[i].requestsPerSecond.toFixed(0)} req/s, netprobe /healthz ${each(runs.health)}, netprobe WORKERS=auto ${runs.wholeMachine[i].requestsPerSecond.toFixed(0)} req/s`,
        );
      }
      const rows = measurements(runtimes, runs);
      if (!canPinPerCore()) {
        log('per core: skipped (needs two CPUs and taskset)');
        return rows;
      }
      const perCore = await perCoreRuns({ registry, repeat, log, duration, snmpd, netprobe: netprobes[0], netprobeRun, exporterLoad: (url) => exporterLoad(url, duration) });
      return [...rows, ...perCoreRows(perCore)];
    } finally {
      await Promise.all([...netprobes.map((n) => n.stop()), wholeMachine?.stop(), exporter.stop(), snmpd.stop()]);
    }
  },
};

interface PerCoreContext {
  registry: ScenarioContext['registry'];
  repeat: number;
  duration: number;
  log(message: string): void;
  snmpd: BenchSnmpd;
  netprobe: Netprobe;
  netprobeRun(netprobe: Netprobe): Promise<LoadResult>;
  exporterLoad(baseUrl: string): Promise<LoadResult>;
}

const PER_CORE_MIN_ROUNDS = 5;

/**
 * The same GETs, each contender held to one core (`taskset -c 1`, and GOMAXPROCS=1 for snmp_exporter, as Go
 * would otherwise size its scheduler to the machine), with the load generator (this process) and snmpd on
 * the other core: what one core of each buys, without the two fighting the load generator for CPU.
 * Production's runtime only.
 */
async function perCoreRuns({ registry, repeat, duration, log, snmpd, netprobe, netprobeRun, exporterLoad }: PerCoreContext): Promise<{ netprobe: LoadResult[]; exporter: LoadResult[] }> {
  const exporter = await startSnmpExporter(registry, '1.3.6.1', { GOMAXPROCS: '1' });
  const runs = { netprobe: [] as LoadResult[], exporter: [] as LoadResult[] };
  let unpin: (() => void) | undefined;
  try {
    unpin = pinPerCore({ measured: [netprobe.pid, exporter.pid], load: snmpd.pids });
    log(`per core: netprobe and snmp_exporter (GOMAXPROCS=1) on CPU ${MEASURED_CPU}, load and snmpd on CPU ${LOAD_CPU}; ${duration} s each`);
    await netprobeRun(netprobe);
    await exporterLoad(exporter.baseUrl);
    // At least 5 pairs, alternating who goes first: with 3 in a fixed order, one run's median ratio was 1.16×
    // from pairs of 1.05×, 1.61× and 1.30×.
    const rounds = Math.max(repeat, PER_CORE_MIN_ROUNDS);
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 1) runs.exporter.push(await exporterLoad(exporter.baseUrl));
      runs.netprobe.push(await netprobeRun(netprobe));
      if (i % 2 === 0) runs.exporter.push(await exporterLoad(exporter.baseUrl));
      log(`per core ${i + 1}/${rounds}: netprobe ${runs.netprobe[i].requestsPerSecond.toFixed(0)} req/s, snmp_exporter ${runs.exporter[i].requestsPerSecond.toFixed(0)} req/s`);
    }
    return runs;
  } finally {
    unpin?.();
    await exporter.stop();
  }
}

function perCoreRows(runs: { netprobe: LoadResult[]; exporter: LoadResult[] }): Measurement[] {
  const metric = `throughput @${CONCURRENCY}, per core (pinned)`;
  const note = `per core: netprobe and snmp_exporter each pinned to CPU ${MEASURED_CPU} (taskset -a, every thread; GOMAXPROCS=1 for snmp_exporter), the load generator and snmpd on CPU ${LOAD_CPU}; production's runtime`;
  return [
    compare(
      { scenario: SCENARIO, metric, unit: 'req/s', netprobe: stat(runs.netprobe.map((r) => r.requestsPerSecond)), note },
      { name: 'snmp_exporter 0.21, GOMAXPROCS=1', value: stat(runs.exporter.map((r) => r.requestsPerSecond)) },
      (r) => ({ text: '≥ 1.2× snmp_exporter', met: r >= 1.2 }),
    ),
  ];
}

/** Load results; netprobe's and /healthz's per runtime, in the order of the run's runtimes. */
interface Runs {
  netprobe: LoadResult[][];
  health: LoadResult[][];
  direct: LoadResult[];
  exporter: LoadResult[];
  /** The production runtime with WORKERS=auto: one HTTP worker per core. */
  wholeMachine: LoadResult[];
}

/** Fast errors would pass for throughput: check once that every contender really returns the value. */
async function checkAnswers(netprobeUrl: string, exporterUrl: string, host: string, port: number): Promise<void> {
  const res = await fetch(`${netprobeUrl}/snmp/get`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ host, port, oids: [GET_OID] }),
  });
  const body = (await res.json()) as { varbinds?: { type: string }[] };
  if (!res.ok || body.varbinds?.[0]?.type !== 'TimeTicks') throw new Error(`netprobe /snmp/get: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  const metrics = await fetch(`${exporterUrl}/snmp?target=${host}:${port}&module=${SNMP_EXPORTER_GET_MODULE}`).then((r) => r.text());
  if (!/^sysUpTime \d/m.test(metrics)) throw new Error(`snmp_exporter returned no sysUpTime:\n${metrics.slice(0, 500)}`);
}

function measurements(runtimes: readonly Runtime[], runs: Runs): Measurement[] {
  const direct = 'net-snmp direct (1 process)';
  const exporter = 'snmp_exporter 0.21';
  type Key = 'requestsPerSecond' | 'p50Ms' | 'p99Ms';
  const pick = (results: LoadResult[], key: Key) => stat(results.map((r) => r[key]));
  const onEach = (results: LoadResult[][], key: Key) => perRuntime(runtimes, results.map((rs) => rs.map((r) => r[key])));
  const rows: Measurement[] = [];
  const throughput = { scenario: SCENARIO, metric: `throughput @${CONCURRENCY}`, unit: 'req/s', ...onEach(runs.netprobe, 'requestsPerSecond') };
  rows.push(compare(throughput, { name: direct, value: pick(runs.direct, 'requestsPerSecond') }, (r) => ({ text: '≥ 0.5× ceiling', met: r >= 0.5 })));
  rows.push(compare(throughput, { name: exporter, value: pick(runs.exporter, 'requestsPerSecond') }, (r) => ({ text: '≥ 1× snmp_exporter', met: r >= 1 })));
  rows.push(
    compare(
      {
        scenario: SCENARIO,
        metric: `GET /healthz @${CONCURRENCY} (no SNMP)`,
        unit: 'req/s',
        ...onEach(runs.health, 'requestsPerSecond'),
        note: 'GET /healthz of the same process under the same load generator: the HTTP stack alone, an upper bound for any route of the service on this machine',
      },
      { name: direct, value: pick(runs.direct, 'requestsPerSecond') },
    ),
  );
  rows.push(wholeMachineRow(runs, { name: exporter, value: pick(runs.exporter, 'requestsPerSecond') }));
  for (const [key, label] of [['p50Ms', 'latency p50'], ['p99Ms', 'latency p99']] as const) {
    const base = { scenario: SCENARIO, metric: label, unit: 'ms', ...onEach(runs.netprobe, key) };
    rows.push(compare(base, { name: direct, value: pick(runs.direct, key) }));
    rows.push(compare(base, { name: exporter, value: pick(runs.exporter, key) }));
  }
  return rows;
}

/** GET with every core: WORKERS=auto (one HTTP worker per core, node:cluster) vs snmp_exporter with its default GOMAXPROCS. */
function wholeMachineRow(runs: Runs, exporter: PeerFigure): Measurement {
  const workers = Math.min(64, availableParallelism());
  return compare(
    {
      scenario: SCENARIO,
      metric: `throughput @${CONCURRENCY}, whole machine: WORKERS=auto (${workers})`,
      unit: 'req/s',
      netprobe: stat(runs.wholeMachine.map((r) => r.requestsPerSecond)),
      note: 'The service as a cluster primary and one HTTP worker per core; snmp_exporter uses every core too (default GOMAXPROCS). Same snmpd and load generator on the same machine.',
    },
    exporter,
    (r) => ({ text: '≥ 1× (whole machine)', met: r >= 1 }),
  );
}
