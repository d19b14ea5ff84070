import { stat } from '../lib/stats.ts';
import { startNetprobe, type Netprobe } from '../lib/service.ts';
import { compare, type Measurement, type Scenario } from '../lib/types.ts';
import { GET_OID, SNMP_EXPORTER_GET_MODULE, startSnmpExporter, type Exporter } from '../peers/exporters.ts';
import { COMMUNITY, PORTS_PER_SNMPD, startSnmpdFleet, type BenchSnmpd } from '../peers/snmpd.ts';

const SCENARIO = '7 Fleet';
const AGENTS = 500;
const QUICK_AGENTS = 20;
const CONCURRENCY = 32;

/**
 * Polling a fleet: sysUpTime.0 from 500 agents (snmpd processes answering on 500 ports), as one `targets` request
 * to netprobe, against snmp_exporter scraping the same 500 targets with the same concurrency (32 requests in
 * flight). Rate: agents polled per second, from the first request to the last answer.
 */
export const fleetScenario: Scenario = {
  name: 'fleet',
  title: `Polling ${AGENTS} agents`,
  paths: ['/snmp/get'],
  async run({ registry, quick, repeat, log }) {
    const agents = quick ? QUICK_AGENTS : AGENTS;
    const rounds = quick ? 1 : Math.max(repeat, 5);
    const snmpd = await startSnmpdFleet(registry, agents);
    const netprobe = await startNetprobe(registry);
    const exporter = await startSnmpExporter(registry);
    try {
      // First round of each: checks every answer, and opens netprobe's sessions (kept for the next polls).
      await pollNetprobe(netprobe, snmpd);
      await pollExporter(exporter, snmpd);
      const rates = { netprobe: [] as number[], exporter: [] as number[] };
      for (let i = 0; i < rounds; i++) {
        rates.netprobe.push(await pollNetprobe(netprobe, snmpd));
        rates.exporter.push(await pollExporter(exporter, snmpd));
        log(`round ${i + 1}/${rounds}: netprobe ${rates.netprobe[i].toFixed(0)} agents/s, snmp_exporter ${rates.exporter[i].toFixed(0)} agents/s`);
      }
      const row: Measurement = compare(
        {
          scenario: SCENARIO,
          metric: `poll ${agents} agents @${CONCURRENCY}`,
          unit: 'agents/s',
          netprobe: stat(rates.netprobe),
          note: `sysUpTime.0 from ${agents} agents (${Math.ceil(agents / PORTS_PER_SNMPD)} snmpd on ${agents} UDP ports, ${PORTS_PER_SNMPD} each: snmpd opens at most 128): one POST /snmp/get with targets and concurrency ${CONCURRENCY}, vs snmp_exporter's /snmp?target=… for each agent, ${CONCURRENCY} in flight; ${rounds} rounds after one warm-up round each`,
        },
        { name: 'snmp_exporter 0.21', value: stat(rates.exporter) },
        (ratio) => ({ text: '≥ 2× snmp_exporter', met: ratio >= 2 }),
      );
      return [row];
    } finally {
      await Promise.all([netprobe.stop(), exporter.stop(), snmpd.stop()]);
    }
  },
};

/** One request for the whole fleet; every target must come back with its TimeTicks. Returns agents per second. */
async function pollNetprobe(netprobe: Netprobe, snmpd: BenchSnmpd): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${netprobe.baseUrl}/snmp/get`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ community: COMMUNITY, oids: [GET_OID], concurrency: CONCURRENCY, targets: snmpd.ports.map((port) => ({ host: snmpd.host, port })) }),
  });
  const body = (await res.json()) as { results?: { ok: boolean; varbinds?: { type: string }[]; error?: unknown }[] };
  const seconds = (performance.now() - started) / 1000;
  const bad = (body.results ?? []).filter((r) => !r.ok || r.varbinds?.[0]?.type !== 'TimeTicks');
  if (!res.ok || body.results?.length !== snmpd.ports.length || bad.length > 0) {
    throw new Error(`netprobe fleet poll: ${res.status}, ${bad.length} bad results: ${JSON.stringify(bad[0] ?? body).slice(0, 300)}`);
  }
  return snmpd.ports.length / seconds;
}

/** One scrape per agent, CONCURRENCY in flight; every scrape must carry sysUpTime. Returns agents per second. */
async function pollExporter(exporter: Exporter, snmpd: BenchSnmpd): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < snmpd.ports.length) {
      const port = snmpd.ports[next++];
      const res = await fetch(`${exporter.baseUrl}/snmp?target=${snmpd.host}:${port}&module=${SNMP_EXPORTER_GET_MODULE}`);
      const text = await res.text();
      if (!res.ok || !/^sysUpTime \d/m.test(text)) throw new Error(`snmp_exporter scrape of port ${port}: ${res.status} ${text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return snmpd.ports.length / ((performance.now() - started) / 1000);
}
