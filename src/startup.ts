import type dgram from 'node:dgram';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Config } from './config.ts';
import type { AppDeps } from './deps.ts';
import { directBodies } from './http/direct-body.ts';
import { GracefulShutdown } from './http/graceful-shutdown.ts';
import { problem, PROBLEM_CONTENT_TYPE } from './http/problem.ts';
import type { Logger } from './logger.ts';
import type { SubsystemStatus } from './readiness.ts';
import type { RedisConnections } from './redis/connection.ts';
import { MibResolver } from './snmp/mib.ts';
import { bindTrapSocket } from './snmp/trap-receiver.ts';

/**
 * The steps main.ts takes at start, shared by its three ways to run: one process (WORKERS=1), the
 * cluster primary (trap receiver, forwarders) and its HTTP workers. Called only from main.ts and
 * src/cluster/, never at import.
 */

/** Parses the MIBs now, rather than on the first request or trap, and says which files could not be loaded. */
export function loadMibs(config: Config, logger: Logger): MibResolver {
  const started = performance.now();
  const mib = MibResolver.create({ mibDirs: config.snmp.mibDirs, storeDir: config.snmp.mibStoreDir, maxUploadedModules: config.snmp.mibUploadMaxModules });
  for (const { file, reason } of mib.skipped) logger.warn({ file, reason }, `MIB file skipped: ${file}: ${reason}`);
  logger.info({ loadMs: Math.round(performance.now() - started), modules: mib.modules.length, mibDirs: config.snmp.mibDirs, mibStoreDir: config.snmp.mibStoreDir }, 'MIBs loaded');
  return mib;
}

/** The HTTP listener, serving `fetch`; requests that arrive before the app is built are told to retry. */
export function listen(config: Config, fetch: (request: Request, env: unknown) => Response | Promise<Response>): Promise<Server> {
  const server = createAdaptorServer({ fetch: directBodies(fetch) }) as Server;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.http.port, host: config.http.host, reusePort: config.http.reusePort }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function starting(): Response {
  const body = problem(503, 'starting', 'The service is starting', 'Retry in a moment.');
  return new Response(JSON.stringify(body), { status: 503, headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'retry-after': '1' } });
}

export type TrapPort = { socket: dgram.Socket; problem?: undefined } | { socket?: undefined; problem?: string };

/** Binds the trap port; a port that cannot be bound leaves the rest of the service running, with traps down in /readyz. */
export async function openTrapPort(config: Config, logger: Logger): Promise<TrapPort> {
  if (!config.traps.enabled) return {};
  try {
    return { socket: await bindTrapSocket(config.traps, logger) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    logger.error({ err, host: config.traps.host, port: config.traps.port }, 'trap receiver failed to start');
    return { problem: `cannot listen on ${config.traps.host} port ${config.traps.port} (${code})` };
  }
}

/** Starts receiving on the bound trap port; returns the traps subsystem's state for /readyz. */
export async function startTraps({ config, traps, readiness, logger }: AppDeps, port: TrapPort): Promise<SubsystemStatus> {
  const status = await trapsStatus();
  readiness.set('traps', status.state, status.detail);
  return status;

  async function trapsStatus(): Promise<SubsystemStatus> {
    if (!config.traps.enabled) return { state: 'disabled' };
    if (!port.socket) return { state: 'down', detail: port.problem };
    const bound = await traps.start(port.socket);
    await untilFollowing(traps.follow(), logger);
    const bus = traps.busStatus();
    logger.info(
      { address: bound.address, port: bound.port, engineId: traps.receiver.engineId(), receiveBufferBytes: traps.receiver.receiveBufferBytes(), bus: bus.engine },
      'trap receiver listening',
    );
    return { state: 'up' };
  }
}

/** How long the start waits for the trap bus to find where the shared stream ends (Redis's connect timeout). */
const FOLLOW_WAIT_MS = 5_000;

/**
 * Waits until the bus engine reads the shared stream from its end (TRAP_BUS=redis), before the process
 * serves and reports itself ready, so that a subscriber misses nothing appended after it subscribed. At
 * most FOLLOW_WAIT_MS: with Redis unreachable the start goes on, the bus connecting (/readyz says so).
 */
export async function untilFollowing(following: Promise<void>, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, FOLLOW_WAIT_MS, 'late')));
  const outcome = await Promise.race([following, late]);
  clearTimeout(timer);
  if (outcome === 'late') logger.warn({ waitedMs: FOLLOW_WAIT_MS }, 'going on before the trap bus reads the shared stream: subscribers until then may miss events');
}

/**
 * On SIGTERM/SIGINT: stops the HTTP server gracefully (503 to new requests, in-flight ones finish), ends
 * every SSE stream, closes forwarders, the trap bus and Redis, then exits 0. Also when `alsoWhen`
 * resolves (a cluster worker whose primary is gone).
 */
export function stopOnSignal(
  { server, deps, redis, alsoWhen }: { server: Server; deps: AppDeps; redis: RedisConnections | undefined; alsoWhen?: Promise<string> },
): void {
  const { config, logger } = deps;
  const graceful = new GracefulShutdown(server);
  exitOnSignal({ logger, redis, alsoWhen }, async (signal) => {
    logger.info({ signal, timeoutMs: config.http.shutdownTimeoutMs }, 'shutting down');
    deps.readiness.set('http', 'down', 'shutting down');
    if (config.traps.enabled) deps.readiness.set('traps', 'down', 'shutting down');
    const stopped = graceful.stop(config.http.shutdownTimeoutMs);
    // Ends every SSE stream with a final comment, so that the HTTP server can close, then appends what
    // the trap bus still holds (Redis), for a short while.
    const trapsClosed = deps.forwarders.close().then(() => deps.traps.close());
    if ((await stopped) === 'timedOut') logger.warn('shutdown timeout reached; remaining connections were closed');
    await trapsClosed;
  });
}

/** Runs `stop` once, on the first SIGTERM or SIGINT (or when `alsoWhen` resolves), then closes Redis and exits 0. */
export function exitOnSignal(
  { logger, redis, alsoWhen }: { logger: Logger; redis: RedisConnections | undefined; alsoWhen?: Promise<string> },
  stop: (signal: string) => Promise<void>,
): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await stop(signal);
    await redis?.close();
    logger.info('stopped');
    logger.flush?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  void alsoWhen?.then((reason) => shutdown(reason));
}
