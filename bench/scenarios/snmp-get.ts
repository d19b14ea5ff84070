import { runNodeHelper } from '../lib/children.ts';
import { load, type LoadResult } from '../lib/load.ts';
import { startNetprobe } from '../lib/service.ts';
import { stat } from '../lib/stats.ts';
import { compare, type Measurement, type Scenario } from '../lib/types.ts';
import { GET_OID, SNMP_EXPORTER_GET_MODULE, startSnmpExporter } from '../peers/exporters.ts';
import { COMMUNITY, startSnmpd } from '../peers/snmpd.ts';

const CONCURRENCY = 32;
const SCENARIO = '1 SNMP GET';

interface DirectResult {
  requests: number;
  failures: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** /snmp/get of one OID at concurrency 32 vs net-snmp directly (the ceiling) vs snmp_exporter. */
export const snmpGetScenario: Scenario = {
  name: 'snmp-get',
  title: 'SNMP GET throughput',
  paths: ['/snmp/get'],
  async run({ registry, quick, repeat, log }) {
    const duration = quick ? 1 : 5;
    const snmpd = await startSnmpd(registry);
    const netprobe = await startNetprobe(registry);
    const exporter = await startSnmpExporter(registry);
    try {
      const netprobeRun = () =>
        load({
          url: `${netprobe.baseUrl}/snmp/get`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ host: snmpd.host, port: snmpd.port, community: COMMUNITY, oids: [GET_OID] }),
          connections: CONCURRENCY,
          duration,
        });
      const exporterRun = () =>
        load({
          url: `${exporter.baseUrl}/snmp?target=${snmpd.host}:${snmpd.port}&module=${SNMP_EXPORTER_GET_MODULE}`,
          connections: CONCURRENCY,
          duration,
        });
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

      await checkAnswers(netprobe.baseUrl, exporter.baseUrl, snmpd.host, snmpd.port);
      if (!quick) {
        log('warm-up (1 s each)');
        await load({ url: `${netprobe.baseUrl}/snmp/get`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ host: snmpd.host, port: snmpd.port, oids: [GET_OID] }), connections: CONCURRENCY, duration: 1 });
        await load({ url: `${exporter.baseUrl}/snmp?target=${snmpd.host}:${snmpd.port}&module=${SNMP_EXPORTER_GET_MODULE}`, connections: CONCURRENCY, duration: 1 });
      }
      // The service's HTTP stack alone (no SNMP at all): what any route of this process can reach here.
      const healthRun = () => load({ url: `${netprobe.baseUrl}/healthz`, connections: CONCURRENCY, duration });
      const runs = { netprobe: [] as LoadResult[], direct: [] as LoadResult[], exporter: [] as LoadResult[], health: [] as LoadResult[] };
      for (let i = 0; i < repeat; i++) {
        // Interleaved, so that drift on the machine hits every contender alike.
        runs.netprobe.push(await netprobeRun());
        runs.direct.push(await directRun());
        runs.exporter.push(await exporterRun());
        runs.health.push(await healthRun());
        log(
          `run ${i + 1}/${repeat}: netprobe ${runs.netprobe[i].requestsPerSecond.toFixed(0)} req/s, net-snmp ${runs.direct[i].requestsPerSecond.toFixed(0)} req/s, snmp_exporter ${runs.exporter[i].requestsPerSecond.toFixed(0)} req/s, netprobe /healthz ${runs.health[i].requestsPerSecond.toFixed(0)} req/s`,
        );
      }
      return measurements(runs);
    } finally {
      await Promise.all([netprobe.stop(), exporter.stop(), snmpd.stop()]);
    }
  },
};

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

function measurements(runs: { netprobe: LoadResult[]; direct: LoadResult[]; exporter: LoadResult[]; health: LoadResult[] }): Measurement[] {
  const direct = 'net-snmp direct (1 process)';
  const exporter = 'snmp_exporter 0.21';
  const pick = (results: LoadResult[], key: 'requestsPerSecond' | 'p50Ms' | 'p99Ms') => stat(results.map((r) => r[key]));
  const rows: Measurement[] = [];
  const throughput = { scenario: SCENARIO, metric: `throughput @${CONCURRENCY}`, unit: 'req/s', netprobe: pick(runs.netprobe, 'requestsPerSecond') };
  rows.push(compare(throughput, { name: direct, value: pick(runs.direct, 'requestsPerSecond') }, (r) => ({ text: '≥ 0.5× ceiling', met: r >= 0.5 })));
  rows.push(compare(throughput, { name: exporter, value: pick(runs.exporter, 'requestsPerSecond') }, (r) => ({ text: '> 1× (ahead)', met: r > 1 })));
  rows.push(
    compare(
      {
        scenario: SCENARIO,
        metric: `GET /healthz @${CONCURRENCY} (no SNMP)`,
        unit: 'req/s',
        netprobe: pick(runs.health, 'requestsPerSecond'),
        note: 'GET /healthz of the same process under the same load generator: the HTTP stack alone, an upper bound for any route of the service on this machine',
      },
      { name: direct, value: pick(runs.direct, 'requestsPerSecond') },
    ),
  );
  for (const [key, label] of [['p50Ms', 'latency p50'], ['p99Ms', 'latency p99']] as const) {
    const base = { scenario: SCENARIO, metric: label, unit: 'ms', netprobe: pick(runs.netprobe, key) };
    rows.push(compare(base, { name: direct, value: pick(runs.direct, key) }));
    rows.push(compare(base, { name: exporter, value: pick(runs.exporter, key) }));
  }
  return rows;
}
