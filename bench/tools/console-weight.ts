import { createApp } from '../../src/app.ts';
import { defaultConfig } from '../../src/config.ts';
import { buildDeps } from '../../src/deps.ts';
import { consoleRoutes } from '../../src/routes/console/index.ts';
import { AREAS } from '../../src/routes/index.ts';
import { quietFoundations } from '../../scripts/openapi-document.ts';

/**
 * Does the console weigh on API requests? The same app with and without the console area, in one process,
 * answering the same API requests in alternating rounds (so that the machine's load falls on both alike):
 * routing, middleware and a JSON answer (GET /healthz), and a refused /snmp/get (route match, access guard,
 * problem+json). `node --import tsx bench/tools/console-weight.ts [rounds] [requests per round]`
 */

const rounds = Number(process.argv[2] ?? 10);
const perRound = Number(process.argv[3] ?? 20_000);

function app(withConsole: boolean) {
  const config = defaultConfig();
  config.auth.tokens = [{ name: 'bench', token: 'bench-token-0123456789abcdef', scopes: ['traps'] }];
  const deps = buildDeps(config, quietFoundations(config));
  return createApp(deps, withConsole ? AREAS : AREAS.filter((area) => area !== consoleRoutes));
}

const variants = { without: app(false), with: app(true) };
const requests = [
  () => new Request('http://bench/healthz'),
  () => new Request('http://bench/snmp/get', { method: 'POST', headers: { authorization: 'Bearer bench-token-0123456789abcdef', 'content-type': 'application/json' }, body: '{"host":"127.0.0.1","oids":["1.3.6.1.2.1.1.5.0"]}' }),
];

async function round(variant: keyof typeof variants): Promise<number> {
  const target = variants[variant];
  const started = performance.now();
  for (let i = 0; i < perRound; i++) {
    const res = await target.request(requests[i % 2]());
    await res.arrayBuffer();
  }
  return (perRound / (performance.now() - started)) * 1000;
}

const results: Record<keyof typeof variants, number[]> = { without: [], with: [] };
await round('without');
await round('with'); // warm-up
for (let i = 0; i < rounds; i++) {
  const order: (keyof typeof variants)[] = i % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
  for (const variant of order) results[variant].push(await round(variant));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const variant of ['without', 'with'] as const) {
  console.log(`${variant} console: median ${Math.round(median(results[variant]))} req/s over ${rounds} rounds (${results[variant].map(Math.round).join(', ')})`);
}
// Each round's pair ran back to back: their ratio cancels most of the load that other processes put on the machine.
const paired = results.with.map((value, i) => value / results.without[i]);
console.log(`with ÷ without: ${(median(results.with) / median(results.without)).toFixed(3)} of the medians; median of the ${rounds} paired ratios ${median(paired).toFixed(3)} (${[...paired].sort((a, b) => a - b).map((r) => r.toFixed(2)).join(', ')})`);
