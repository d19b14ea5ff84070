import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { formatConfigIssues, loadConfig } from './config.ts';
import { buildDeps } from './deps.ts';
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
  deps.readiness.set('http', 'starting');
  const app = createApp(deps);

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.http.port, hostname: config.http.host }, () => resolve(s as Server));
    s.once('error', reject);
  });
  const address = server.address();
  deps.readiness.set('http', 'up');
  logger.info({ address, port: typeof address === 'object' && address ? address.port : undefined }, 'http listening');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.http.shutdownTimeoutMs }, 'shutting down');
    deps.readiness.set('http', 'down', 'shutting down');
    const deadline = setTimeout(() => {
      logger.warn('shutdown timeout reached; closing remaining connections');
      server.closeAllConnections();
    }, config.http.shutdownTimeoutMs);
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      logger.info('stopped');
      logger.flush?.();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`netprobe failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
