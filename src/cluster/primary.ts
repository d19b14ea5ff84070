import type { Worker } from 'node:cluster';
import type { Config } from '../config.ts';
import { buildDeps, targetPolicy, trapEngineFor, type AppDeps } from '../deps.ts';
import { BusFanout } from '../events/fanout.ts';
import { MemoryEngine } from '../events/memory-engine.ts';
import type { TrapFilterFields } from '../events/trap-event.ts';
import type { Logger } from '../logger.ts';
import { startMemoryTrim } from '../memory-trim.ts';
import { aggregateMetrics, PrometheusMetrics, type MetricsSnapshot } from '../metrics.ts';
import { TargetResolver } from '../net/resolve.ts';
import type { SubsystemStatus } from '../readiness.ts';
import { openRedis } from '../redis/connection.ts';
import type { MibResolver } from '../snmp/mib.ts';
import { exitOnSignal, loadMibs, openTrapPort, startTraps } from '../startup.ts';
import { isMessage, WORKER_ENV, WORKER_TRAP_PORT_ENV, type ToPrimary, type ToWorker } from './protocol.ts';
import { WorkerSupervisor } from './supervisor.ts';

/** Bytes of trap entries sent to one worker and not yet written to its IPC channel, at most (memory bus): beyond, a gap. */
export const WORKER_IPC_MAX_BYTES = 16 * 1024 * 1024;
/** How long the primary waits for each worker's metrics when gathering them. */
const COLLECT_TIMEOUT_MS = 2_000;

/**
 * The cluster primary (WORKERS > 1). It serves no HTTP: it forks the workers, which do. It alone owns
 * what must happen once per trap: the UDP receiver (inform acknowledgements, SNMPv3 state), the
 * forwarders, and the bus's appends; with TRAP_BUS=memory it sends every entry to every worker
 * (BusFanout), with TRAP_BUS=redis the workers read the stream. It also relays MIB uploads from one
 * worker to the others and gathers every process's metrics for /metrics.
 */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const mib = loadMibs(config, logger);
  const trapSocket = await openTrapPort(config, logger);
  const trapPort = trapSocket.socket?.address().port;

  let cluster: ClusterState | undefined;
  const waiting: Worker[] = [];
  const supervisor = new WorkerSupervisor({
    count: config.http.workers,
    env: { [WORKER_ENV]: '1', [WORKER_TRAP_PORT_ENV]: trapPort === undefined ? '' : String(trapPort) },
    logger,
    onMessage: (worker, message) => {
      if (!isMessage<ToPrimary>(message)) return;
      if (message.type === 'netprobe:hello' && !cluster) waiting.push(worker);
      else cluster?.handle(worker, message);
    },
    onExit: (worker) => cluster?.exited(worker),
  });
  let httpPort: number;
  try {
    httpPort = await supervisor.start();
  } catch (err) {
    await supervisor.stop(config.http.shutdownTimeoutMs);
    throw err;
  }

  const metrics = new PrometheusMetrics();
  const redis = config.redis.url ? openRedis(config.redis, logger) : undefined;
  const trapEngine = trapEngineFor(config, { redis, metrics, logger });
  const resolver = new TargetResolver(targetPolicy(config, [httpPort, ...(trapPort === undefined ? [] : [trapPort])]));
  const deps = buildDeps(config, { logger, mib, resolver, metrics, trapEngine, redis });
  try {
    await deps.forwarders.checkTargets();
  } catch (err) {
    await supervisor.stop(config.http.shutdownTimeoutMs);
    throw err;
  }
  const traps = await startTraps(deps, trapSocket);
  deps.forwarders.start();
  const fanout = trapEngine instanceof MemoryEngine ? new BusFanout(deps.traps.bus, { epochMs: trapEngine.epochMs, maxInFlightBytes: WORKER_IPC_MAX_BYTES }) : undefined;
  cluster = new ClusterState({ supervisor, deps, mib, fanout, traps, httpPort });
  for (const worker of waiting.splice(0)) cluster.welcome(worker);
  startMemoryTrim(metrics);

  exitOnSignal({ logger, redis }, async (signal) => {
    logger.info({ signal, timeoutMs: config.http.shutdownTimeoutMs, workers: supervisor.workers.length }, 'shutting down');
    // The workers first: they end their SSE streams and finish their requests; then the receiver.
    await supervisor.stop(config.http.shutdownTimeoutMs);
    fanout?.close();
    await deps.forwarders.close();
    await deps.traps.close();
  });
}

/** What the primary does for its workers once it receives traps. */
class ClusterState {
  private readonly unfollow = new Map<Worker, () => void>();
  private readonly serving = new Set<number>();
  private announced = false;
  private nextCollection = 1;
  private readonly collections = new Map<number, { snapshots: MetricsSnapshot[]; waiting: Set<number>; done: () => void }>();

  private readonly options: {
    supervisor: WorkerSupervisor;
    deps: AppDeps;
    mib: MibResolver;
    fanout: BusFanout<TrapFilterFields> | undefined;
    traps: SubsystemStatus;
    httpPort: number;
  };
  constructor(options: ClusterState['options']) {
    this.options = options;
  }

  handle(worker: Worker, message: ToPrimary): void {
    switch (message.type) {
      case 'netprobe:hello':
        return this.welcome(worker);
      case 'netprobe:serving':
        return this.servingNow(worker);
      case 'netprobe:metrics-request':
        return void this.gatherMetrics().then((text) => send(worker, { type: 'netprobe:metrics', id: message.id, text }));
      case 'netprobe:metrics-snapshot':
        return this.collected(worker, message.id, message.metrics);
      case 'netprobe:mibs':
        return this.mibChanged(worker, message.change);
    }
  }

  /** A worker is ready to follow: the traps subsystem's state, the bus's window (memory), then welcome. */
  welcome(worker: Worker): void {
    send(worker, { type: 'netprobe:readiness', traps: this.options.traps });
    const { fanout } = this.options;
    if (fanout) {
      this.unfollow.get(worker)?.();
      const untap = fanout.follow({ send: (batch, sent) => send(worker, { type: 'netprobe:traps', batch }, sent) });
      this.unfollow.set(worker, untap);
    }
    send(worker, { type: 'netprobe:welcome' });
  }

  exited(worker: Worker): void {
    this.unfollow.get(worker)?.();
    this.unfollow.delete(worker);
    this.serving.delete(worker.id);
    for (const collection of this.collections.values()) {
      if (collection.waiting.delete(worker.id) && collection.waiting.size === 0) collection.done();
    }
  }

  private servingNow(worker: Worker): void {
    this.serving.add(worker.id);
    const { supervisor, deps, httpPort } = this.options;
    if (this.announced || this.serving.size < supervisor.workers.length) return;
    this.announced = true;
    deps.logger.info({ port: httpPort, workers: this.serving.size, pid: process.pid }, 'http listening');
  }

  /** Every process's metrics (this one's and each worker's), aggregated; a worker that does not answer in time is left out. */
  private async gatherMetrics(): Promise<string> {
    const id = this.nextCollection++;
    const workers = this.options.supervisor.workers.filter((worker) => this.serving.has(worker.id));
    const snapshots: MetricsSnapshot[] = [await this.options.deps.metrics.snapshot()];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => finish(), COLLECT_TIMEOUT_MS);
      const finish = () => {
        clearTimeout(timer);
        this.collections.delete(id);
        resolve();
      };
      this.collections.set(id, { snapshots, waiting: new Set(workers.map((w) => w.id)), done: finish });
      if (workers.length === 0) return finish();
      for (const worker of workers) send(worker, { type: 'netprobe:metrics-collect', id });
    });
    return aggregateMetrics(snapshots);
  }

  private collected(worker: Worker, id: number, metrics: MetricsSnapshot): void {
    const collection = this.collections.get(id);
    if (!collection || !collection.waiting.delete(worker.id)) return;
    collection.snapshots.push(metrics);
    if (collection.waiting.size === 0) collection.done();
  }

  /** A worker uploaded or deleted MIB modules: the primary (which names traps) and every other worker do the same. */
  private mibChanged(from: Worker, change: Extract<ToPrimary, { type: 'netprobe:mibs' }>['change']): void {
    const { mib, deps, supervisor } = this.options;
    mib.apply(change).catch((err: unknown) => deps.logger.warn({ err }, 'MIB change made in a worker not applied in the primary'));
    for (const worker of supervisor.workers) if (worker !== from) send(worker, { type: 'netprobe:mibs', change });
  }
}

function send(worker: Worker, message: ToWorker, sent?: () => void): void {
  if (!worker.isConnected()) {
    sent?.();
    return;
  }
  worker.send(message, undefined, () => sent?.());
}

