/**
 * Run as a script: builds the service as src/main.ts does with the default configuration (MIBs, metrics,
 * adapters, the app, one request), without opening a socket, and prints the npm packages then loaded.
 */
import { createRequire } from 'node:module';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { buildDeps, targetPolicy, trapEngineFor } from '../../src/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { PrometheusMetrics } from '../../src/metrics.ts';
import { TargetResolver } from '../../src/net/resolve.ts';
import { loadMibs } from '../../src/startup.ts';
import '../../src/cluster/primary.ts';
import '../../src/cluster/worker.ts';
import '../../src/memory-trim.ts';

const loaded = loadConfig({ LOG_LEVEL: 'silent' });
if (!loaded.ok) throw new Error('the default configuration does not load');
const { config } = loaded;
const logger = createLogger(config.log.level);
const metrics = new PrometheusMetrics();
const mib = loadMibs(config, logger);
const trapEngine = trapEngineFor(config, { metrics, logger, redis: undefined });
const resolver = new TargetResolver(targetPolicy(config, [8080]));
const app = createApp(buildDeps(config, { logger, mib, resolver, metrics, trapEngine, redis: undefined }));
await (await app.request('/readyz')).text();

const packages = new Set<string>();
for (const path of Object.keys(createRequire(import.meta.url).cache)) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (match) packages.add(match[1]);
}
process.stdout.write(`${JSON.stringify([...packages].sort())}\n`);
process.exit(0);
