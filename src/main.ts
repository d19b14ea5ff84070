import type { AddressInfo } from 'node:net';
import { createApp, type App } from './app.ts';
import { runPrimary } from './cluster/primary.ts';
import { isClusterWorker, runWorker } from './cluster/worker.ts';
import { formatConfigIssues, loadConfig, type Config } from './config.ts';
import { buildDeps, targetPolicy, trapEngineFor } from './deps.ts';
import { createLogger, type Logger } from './logger.ts';
import { startMemoryTrim } from './memory-trim.ts';
import { PrometheusMetrics } from './metrics.ts';
import { openRedis } from './redis/connection.ts';
import { TargetResolver } from './net/resolve.ts';
import { listen, loadMibs, openTrapPort, startTraps, starting, stopOnSignal } from './startup.ts';

/**
 * The only file with side effects at start. With WORKERS=1 (the default) one process does everything;
 * with WORKERS > 1 this process becomes the cluster primary (src/cluster/primary.ts: the trap receiver,
 * the forwarders, the memory bus's appends) and forks HTTP workers, which run this file again and take
 * the worker's path (src/cluster/worker.ts).
 */
async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${formatConfigIssues(loaded.issues)}\n`);
    process.exit(2);
  }
  const { config } = loaded;
  if (isClusterWorker()) return runWorker(config);
  const logger = createLogger(config.log.level);
  if (config.auth.tokens.length === 0) {
    logger.warn('no API tokens configured (API_TOKENS): the API is open to anyone who can reach it');
  }
  if (config.http.workers > 1) return runPrimary(config, logger);
  return runSingle(config, logger);
}

/**
 * One process, in explicit steps: MIBs, listeners (HTTP and the trap port), the Redis connections
 * (REDIS_URL; they connect in the background, and Redis being down does not stop the start), then the
 * target policy (which needs the bound ports), the adapters and the app, which serves once the traps
 * have started.
 */
async function runSingle(config: Config, logger: Logger): Promise<void> {
  const mib = loadMibs(config, logger);
  let app: App | undefined;
  const server = await listen(config, (request, env) => (app ? app.fetch(request, env) : starting()));
  const trapSocket = await openTrapPort(config, logger);
  const ownPorts = [(server.address() as AddressInfo).port, ...(trapSocket.socket ? [trapSocket.socket.address().port] : [])];

  const metrics = new PrometheusMetrics();
  const redis = config.redis.url ? openRedis(config.redis, logger) : undefined;
  const trapEngine = trapEngineFor(config, { redis, metrics, logger });
  const resolver = new TargetResolver(targetPolicy(config, ownPorts));
  const deps = buildDeps(config, { logger, mib, resolver, metrics, trapEngine, redis });
  // A forwarder aimed at an address the target policy denies stops the start here, naming the rule.
  await deps.forwarders.checkTargets();
  const built = createApp(deps);
  // Served only once the trap bus reads the shared stream (TRAP_BUS=redis, at most a few seconds): a
  // subscriber taken earlier would miss what other replicas append meanwhile. Until then: 503 starting.
  await startTraps(deps, trapSocket);
  app = built;
  deps.forwarders.start();
  deps.readiness.set('http', 'up');
  logger.info({ address: server.address(), port: ownPorts[0] }, 'http listening');
  startMemoryTrim(metrics);
  stopOnSignal({ server, deps, redis });
}

main().catch((err: unknown) => {
  process.stderr.write(`netprobe failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
