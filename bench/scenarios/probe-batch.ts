import { createServer, type Server } from 'node:net';
import { runNodeHelper } from '../lib/children.ts';
import { load } from '../lib/load.ts';
import { startNetprobe, type Netprobe } from '../lib/service.ts';
import { stat } from '../lib/stats.ts';
import { compare, type Measurement, type Scenario } from '../lib/types.ts';
import { BLACKBOX_MODULE, startBlackboxExporter } from '../peers/exporters.ts';

const SCENARIO = '5 Probe batch';
const CONCURRENCY = 64;
const LISTENERS = 100;

/** One /socket/probe batch of 1 000 TCP targets on loopback vs 1 000 blackbox_exporter tcp_connect probes. */
export const probeBatchScenario: Scenario = {
  name: 'probe-batch',
  title: 'TCP probe batch',
  paths: ['/socket/probe'],
  async run({ registry, quick, repeat, log, runtimes }) {
    const targets = quick ? 50 : 1000;
    const listeners = await openListeners(quick ? 5 : LISTENERS);
    const ports = listeners.map((l) => (l.address() as { port: number }).port);
    const targetPorts = Array.from({ length: targets }, (_, i) => ports[i % ports.length]);
    const netprobe = await startNetprobe(registry, { runtime: runtimes[0] });
    const blackbox = await startBlackboxExporter(registry);
    try {
      const times = { netprobe: [] as number[], blackbox: [] as number[], direct: [] as number[] };
      // A failing probe answers fast too: make sure blackbox_exporter's probes succeed before timing them.
      const check = await fetch(`${blackbox.baseUrl}/probe?module=${BLACKBOX_MODULE}&target=127.0.0.1:${ports[0]}`).then((r) => r.text());
      if (!/^probe_success 1$/m.test(check)) throw new Error(`blackbox_exporter probe did not succeed:\n${check.slice(0, 500)}`);
      if (!quick) {
        // Warm-up: the first two batches still run partly unoptimized code (600 ms vs 250 ms here).
        await batch(netprobe, targetPorts);
        await batch(netprobe, targetPorts);
        await blackboxProbes(blackbox.baseUrl, targetPorts.slice(0, 100));
      }
      for (let i = 0; i < (quick ? 1 : repeat); i++) {
        times.netprobe.push(await batch(netprobe, targetPorts));
        times.blackbox.push(await blackboxProbes(blackbox.baseUrl, targetPorts));
        const direct = await runNodeHelper<{ ms: number; open: number }>(registry, 'bench/peers/direct-connect.ts', [
          String(CONCURRENCY),
          ports.join(','),
          String(targets),
          quick ? '1' : '3',
        ]);
        if (direct.open !== targets) throw new Error(`direct connects: ${direct.open} of ${targets} open`);
        times.direct.push(direct.ms);
        log(`run ${i + 1}: netprobe ${times.netprobe[i].toFixed(0)} ms, blackbox_exporter ${times.blackbox[i].toFixed(0)} ms, node:net direct ${direct.ms.toFixed(0)} ms`);
      }
      const note = `${targets} targets over ${ports.length} local listeners, concurrency ${CONCURRENCY} for both; blackbox driven by autocannon (${CONCURRENCY} connections, one probe per request)`;
      const base = { scenario: SCENARIO, metric: `${targets} TCP connects`, unit: 'ms', netprobe: stat(times.netprobe), note };
      const rows: Measurement[] = [
        { ...base, target: { text: '< 1 000 ms', met: stat(times.netprobe).median < 1000 } },
        compare(base, { name: 'blackbox_exporter 0.23', value: stat(times.blackbox) }, (r) => ({ text: '≤ 0.2× (≥ 5× faster)', met: r <= 0.2 })),
        compare(base, { name: 'node:net direct, same concurrency (ceiling)', value: stat(times.direct) }),
      ];
      return rows;
    } finally {
      await Promise.all([netprobe.stop(), blackbox.stop()]);
      await Promise.all(listeners.map((l) => new Promise((resolve) => l.close(resolve))));
    }
  },
};

async function openListeners(count: number): Promise<Server[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer((socket) => {
            socket.on('error', () => undefined);
            socket.end();
          });
          server.once('error', reject);
          server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () => resolve(server));
        }),
    ),
  );
}

async function batch(netprobe: Netprobe, ports: number[]): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${netprobe.baseUrl}/socket/probe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ protocol: 'tcp', timeoutMs: 3000, concurrency: CONCURRENCY, targets: ports.map((port) => ({ host: '127.0.0.1', port })) }),
  });
  const body = (await res.json()) as { results?: Array<{ ok: boolean; state: string }> };
  const ms = performance.now() - started;
  if (!res.ok || !body.results) throw new Error(`netprobe batch failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  const open = body.results.filter((r) => r.ok && r.state === 'open').length;
  if (open !== ports.length) throw new Error(`netprobe batch: ${open} of ${ports.length} targets open`);
  return ms;
}

async function blackboxProbes(baseUrl: string, ports: number[]): Promise<number> {
  let next = 0;
  const result = await load({
    url: baseUrl,
    connections: Math.min(CONCURRENCY, ports.length),
    amount: ports.length,
    // autocannon notices the end of an `amount` run at its next sample tick (1 s by default).
    sampleInt: 10,
    requests: [
      {
        setupRequest: (request) => {
          request.path = `/probe?module=${BLACKBOX_MODULE}&target=127.0.0.1:${ports[next++ % ports.length]}`;
          return request;
        },
      },
    ],
  });
  return result.durationMs;
}
