import type dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { createApp, type App } from './app.ts';
import { formatConfigIssues, loadConfig, type Config } from './config.ts';
import { buildDeps, targetPolicy, trapEngineFor, type AppDeps } from './deps.ts';
import { GracefulShutdown } from './http/graceful-shutdown.ts';
import { problem, PROBLEM_CONTENT_TYPE } from './http/problem.ts';
import { createLogger, type Logger } from './logger.ts';
import { PrometheusMetrics } from './metrics.ts';
import { openRedis } from './redis/connection.ts';
import { TargetResolver } from './net/resolve.ts';
import { MibResolver } from './snmp/mib.ts';
import { bindTrapSocket } from './snmp/trap-receiver.ts';
import { startMemoryTrim } from './memory-trim.ts';

/**
 * The only file with side effects at start, in explicit steps: configuration, MIBs, listeners (HTTP and
 * the trap port), the Redis connections (REDIS_URL; they connect in the background, and Redis being
 * down does not stop the start), then the target policy (which needs the bound ports), the adapters
 * and the app.
 */
async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${formatConfigIssues(loaded.issues)}\n`);
    process.exit(2);
  }
  const { config } = loaded;
  const logger = createLogger(config.log.level);
  if (config.auth.tokens.length === 0) {
    logger.warn('no API tokens configured (API_TOKENS): the API is open to anyone who can reach it');
  }

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
  app = createApp(deps);
  await startTraps(deps, trapSocket);
  deps.forwarders.start();
  deps.readiness.set('http', 'up');
  logger.info({ address: server.address(), port: ownPorts[0] }, 'http listening');
  const trim = startMemoryTrim();

  const graceful = new GracefulShutdown(server);
  const shutdown = async (signal: string) => {
    if (graceful.stopping) return;
    logger.info({ signal, timeoutMs: config.http.shutdownTimeoutMs }, 'shutting down');
    deps.readiness.set('http', 'down', 'shutting down');
    if (config.traps.enabled) deps.readiness.set('traps', 'down', 'shutting down');
    trim.stop();
    const stopped = graceful.stop(config.http.shutdownTimeoutMs);
    // Ends every SSE stream with a final comment, so that the HTTP server can close, then appends what
    // the trap bus still holds (Redis), for a short while.
    const trapsClosed = deps.forwarders.close().then(() => deps.traps.close());
    if ((await stopped) === 'timedOut') logger.warn('shutdown timeout reached; remaining connections were closed');
    await trapsClosed;
    await redis?.close();
    logger.info('stopped');
    logger.flush?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Parses the MIBs now, rather than on the first request or trap, and says which files could not be loaded. */
function loadMibs(config: Config, logger: Logger): MibResolver {
  const started = performance.now();
  const mib = MibResolver.create({ mibDirs: config.snmp.mibDirs, storeDir: config.snmp.mibStoreDir, maxUploadedModules: config.snmp.mibUploadMaxModules });
  for (const { file, reason } of mib.skipped) logger.warn({ file, reason }, `MIB file skipped: ${file}: ${reason}`);
  logger.info({ loadMs: Math.round(performance.now() - started), modules: mib.modules.length, mibDirs: config.snmp.mibDirs, mibStoreDir: config.snmp.mibStoreDir }, 'MIBs loaded');
  return mib;
}

/** The HTTP listener, serving `fetch`; requests that arrive before the app is built are told to retry. */
function listen(config: Config, fetch: (request: Request, env: unknown) => Response | Promise<Response>): Promise<Server> {
  const server = createAdaptorServer({ fetch }) as Server;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.http.port, host: config.http.host, reusePort: config.http.reusePort }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function starting(): Response {
  const body = problem(503, 'starting', 'The service is starting', 'Retry in a moment.');
  return new Response(JSON.stringify(body), { status: 503, headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'retry-after': '1' } });
}

type TrapPort = { socket: dgram.Socket; problem?: undefined } | { socket?: undefined; problem?: string };

/** Binds the trap port; a port that cannot be bound leaves the rest of the service running, with traps down in /readyz. */
async function openTrapPort(config: Config, logger: Logger): Promise<TrapPort> {
  if (!config.traps.enabled) return {};
  try {
    return { socket: await bindTrapSocket(config.traps, logger) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    logger.error({ err, host: config.traps.host, port: config.traps.port }, 'trap receiver failed to start');
    return { problem: `cannot listen on ${config.traps.host} port ${config.traps.port} (${code})` };
  }
}

async function startTraps({ config, traps, readiness, logger }: AppDeps, port: TrapPort): Promise<void> {
  if (!config.traps.enabled) return readiness.set('traps', 'disabled');
  if (!port.socket) return readiness.set('traps', 'down', port.problem);
  const bound = await traps.start(port.socket);
  readiness.set('traps', 'up');
  const bus = traps.busStatus();
  logger.info(
    { address: bound.address, port: bound.port, engineId: traps.receiver.engineId(), receiveBufferBytes: traps.receiver.receiveBufferBytes(), bus: bus.engine },
    'trap receiver listening',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`netprobe failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
