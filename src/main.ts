import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp, type AppDeps } from './app.ts';
import { formatConfigIssues, loadConfig } from './config.ts';
import { buildDeps } from './deps.ts';
import { GracefulShutdown } from './http/graceful-shutdown.ts';
import { createLogger } from './logger.ts';

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${formatConfigIssues(loaded.issues)}\n`);
    process.exit(2);
  }
  const { config } = loaded;
  const logger = createLogger(config.log.level);
  const deps = buildDeps(config, logger);
  if (config.auth.tokens.length === 0) {
    logger.warn('no API tokens configured (API_TOKENS): the API is open to anyone who can reach it');
  }
  deps.readiness.set('http', 'starting');
  const app = createApp(deps);
  loadMibs(deps);
  await startTrapReceiver(deps);

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.http.port, hostname: config.http.host }, () => resolve(s as Server));
    s.once('error', reject);
  });
  const address = server.address();
  deps.readiness.set('http', 'up');
  const httpPort = typeof address === 'object' && address ? address.port : undefined;
  if (httpPort && httpPort !== config.http.port) deps.resolver.policy.denyOwnPorts([httpPort]);
  logger.info({ address, port: httpPort }, 'http listening');

  const graceful = new GracefulShutdown(server);
  const shutdown = async (signal: string) => {
    if (graceful.stopping) return;
    logger.info({ signal, timeoutMs: config.http.shutdownTimeoutMs }, 'shutting down');
    deps.readiness.set('http', 'down', 'shutting down');
    const stopped = graceful.stop(config.http.shutdownTimeoutMs);
    stopTrapReceiver(deps);
    if ((await stopped) === 'timedOut') logger.warn('shutdown timeout reached; remaining connections were closed');
    logger.info('stopped');
    logger.flush?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Parses the MIBs now rather than on the first request or trap, and says which files could not be loaded. */
function loadMibs({ snmp, logger, config }: AppDeps): void {
  const started = performance.now();
  const mib = snmp.mib;
  const loadMs = Math.round(performance.now() - started);
  if (mib.skipped.length > 0) logger.warn({ skipped: mib.skipped, mibDirs: config.snmp.mibDirs }, 'some MIB files could not be loaded');
  logger.info({ loadMs, mibDirs: config.snmp.mibDirs }, 'MIBs loaded');
}

/** A trap port that cannot be bound leaves the rest of the service running, with 'traps' down in /readyz. */
async function startTrapReceiver({ config, traps, readiness, logger, resolver }: AppDeps): Promise<void> {
  if (!config.traps.enabled) {
    readiness.set('traps', 'disabled');
    return;
  }
  readiness.set('traps', 'starting');
  try {
    const bound = await traps.receiver.start();
    if (bound.port !== config.traps.port) resolver.policy.denyOwnPorts([bound.port]);
    readiness.set('traps', 'up');
    logger.info({ address: bound.address, port: bound.port, receiveBufferBytes: traps.receiver.receiveBufferBytes() }, 'trap receiver listening');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    readiness.set('traps', 'down', `cannot listen on ${config.traps.host} port ${config.traps.port} (${code})`);
    logger.error({ err, host: config.traps.host, port: config.traps.port }, 'trap receiver failed to start');
  }
}

/** Stops receiving, then ends every SSE stream (each gets a final comment) so that the HTTP server can close. */
function stopTrapReceiver({ config, traps, readiness }: AppDeps): void {
  if (config.traps.enabled) readiness.set('traps', 'down', 'shutting down');
  void traps.receiver.close();
  traps.bus.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`netprobe failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
