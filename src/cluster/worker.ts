import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../app.ts';
import type { Config } from '../config.ts';
import { buildDeps, targetPolicy, trapEngineFor } from '../deps.ts';
import { FollowerEngine } from '../events/follower-engine.ts';
import type { TrapFilterFields } from '../events/trap-event.ts';
import { createLogger, type Logger } from '../logger.ts';
import { startMemoryTrim } from '../memory-trim.ts';
import { PrometheusMetrics } from '../metrics.ts';
import { TargetResolver } from '../net/resolve.ts';
import { openRedis } from '../redis/connection.ts';
import { listen, loadMibs, starting, stopOnSignal, untilFollowing } from '../startup.ts';
import { isMessage, WORKER_ENV, WORKER_TRAP_PORT_ENV, type ToPrimary, type ToWorker } from './protocol.ts';

/** How long /metrics waits for the primary to gather every process's metrics before answering with this worker's alone. */
const METRICS_TIMEOUT_MS = 3_000;

/** True in an HTTP worker forked by this service's primary (not merely in some cluster worker: a process manager's). */
export function isClusterWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ENV] === '1';
}

/**
 * An HTTP worker (WORKERS > 1): it serves every route, including the trap stream, whose events come
 * from the primary (over IPC with TRAP_BUS=memory, from the Redis stream with TRAP_BUS=redis). It
 * receives no traps and runs no forwarders: the primary does. It serves once the primary has welcomed it
 * (with its bus window, in memory mode); until then requests get 503 with Retry-After.
 */
export async function runWorker(config: Config): Promise<void> {
  const logger = createLogger(config.log.level).child({ worker: cluster.worker!.id });
  // Forwarders run in the primary alone, so that each trap is forwarded once.
  const workerConfig: Config = { ...config, traps: { ...config.traps, forwarders: [] } };
  const mib = loadMibs(workerConfig, logger);
  let app: App | undefined;
  const server = await listen(workerConfig, (request, env) => (app ? app.fetch(request, env) : starting()));
  const trapPort = Number(process.env[WORKER_TRAP_PORT_ENV]);
  const ownPorts = [(server.address() as AddressInfo).port, ...(trapPort > 0 ? [trapPort] : [])];

  const link = new PrimaryLink(logger);
  const metrics: PrometheusMetrics = new PrometheusMetrics({ exposition: () => link.aggregatedMetrics(() => metrics.local()) });
  const redis = config.redis.url ? openRedis(config.redis, logger) : undefined;
  const follower = config.traps.bus === 'memory' ? new FollowerEngine<TrapFilterFields>() : undefined;
  const trapEngine = follower ?? trapEngineFor(workerConfig, { redis, metrics, logger });
  const resolver = new TargetResolver(targetPolicy(workerConfig, ownPorts));
  const deps = buildDeps(workerConfig, { logger, mib, resolver, metrics, trapEngine, redis });
  deps.readiness.set('traps', 'starting', 'waiting for the primary');
  const built = createApp(deps);
  const following = deps.traps.follow();
  mib.onChange((change) => link.send({ type: 'netprobe:mibs', change }));

  const welcomed = link.listen({
    traps: (batch) => follower?.receive(batch),
    readiness: (status) => deps.readiness.set('traps', status.state, status.detail),
    mibs: (change) => void mib.apply(change).catch((err: unknown) => logger.warn({ err }, 'MIB change made in another worker not applied here')),
    collect: async (id) => link.send({ type: 'netprobe:metrics-snapshot', id, metrics: await metrics.snapshot() }),
  });
  const primaryGone = new Promise<string>((resolve) =>
    process.once('disconnect', () => {
      follower?.disconnected();
      deps.readiness.set('traps', 'down', 'the primary process is gone');
      logger.error('the primary process is gone: stopping');
      resolve('primary gone');
    }),
  );
  stopOnSignal({ server, deps, redis, alsoWhen: primaryGone });
  link.send({ type: 'netprobe:hello' });
  await welcomed;
  await untilFollowing(following, logger);
  app = built;
  deps.readiness.set('http', 'up');
  logger.info({ pid: process.pid }, 'HTTP worker serving');
  link.send({ type: 'netprobe:serving' });
  startMemoryTrim(metrics);
}

interface WorkerHandlers {
  traps(batch: Extract<ToWorker, { type: 'netprobe:traps' }>['batch']): void;
  readiness(status: Extract<ToWorker, { type: 'netprobe:readiness' }>['traps']): void;
  mibs(change: Extract<ToWorker, { type: 'netprobe:mibs' }>['change']): void;
  collect(id: number): Promise<void>;
}

/** The worker's end of the IPC channel with the primary. */
class PrimaryLink {
  private nextId = 1;
  private readonly pending = new Map<number, (text: string | undefined) => void>();
  private readonly logger: Logger;
  constructor(logger: Logger) {
    this.logger = logger;
  }

  send(message: ToPrimary): void {
    if (process.connected) process.send!(message);
  }

  /** Handles the primary's messages; resolves when it has welcomed this worker. */
  listen(handlers: WorkerHandlers): Promise<void> {
    return new Promise((welcome) => {
      process.on('message', (message: unknown) => {
        if (!isMessage<ToWorker>(message)) return;
        switch (message.type) {
          case 'netprobe:traps':
            return handlers.traps(message.batch);
          case 'netprobe:readiness':
            return handlers.readiness(message.traps);
          case 'netprobe:welcome':
            return welcome();
          case 'netprobe:mibs':
            return handlers.mibs(message.change);
          case 'netprobe:metrics-collect':
            return void handlers.collect(message.id).catch((err: unknown) => this.logger.warn({ err }, 'metrics not sent to the primary'));
          case 'netprobe:metrics':
            this.pending.get(message.id)?.(message.text);
            return;
        }
      });
    });
  }

  /** Every process's metrics, aggregated by the primary; this worker's alone when the primary does not answer in time. */
  async aggregatedMetrics(local: () => Promise<string>): Promise<string> {
    const id = this.nextId++;
    const text = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), METRICS_TIMEOUT_MS);
      this.pending.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.send({ type: 'netprobe:metrics-request', id });
    });
    this.pending.delete(id);
    if (text !== undefined) return text;
    this.logger.warn('the primary did not gather the metrics in time: this worker\'s alone');
    return local();
  }
}
