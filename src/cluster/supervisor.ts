import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logger.ts';

/** A worker that dies is forked again after this delay, doubled at each consecutive death of its slot, up to the maximum. */
const RESTART_FIRST_MS = 250;
const RESTART_MAX_MS = 30_000;
/** A worker that lived this long before dying starts its slot's back-off over. */
const RESTART_RESET_AFTER_MS = 60_000;
/** After the shutdown timeout, workers still running are killed after this much more. */
const KILL_GRACE_MS = 2_000;

export interface SupervisorOptions {
  count: number;
  /** Added to each worker's environment. */
  env: Record<string, string>;
  logger: Logger;
  /** Called for every message a worker sends. */
  onMessage(worker: Worker, message: unknown): void;
  /** Called when a worker has exited, whatever the reason (before it is forked again). */
  onExit(worker: Worker): void;
}

interface Slot {
  index: number;
  worker?: Worker;
  startedAt: number;
  deaths: number;
  timer?: NodeJS.Timeout;
}

/**
 * Forks the HTTP workers (node:cluster; round-robin scheduling of connections on Linux), forks again a
 * worker that dies unexpectedly, with a back-off, and stops them gracefully (SIGTERM: each finishes its
 * in-flight requests and ends its SSE streams), killing those still there after the shutdown timeout.
 */
export class WorkerSupervisor {
  private readonly slots: Slot[];
  private stopping = false;
  private readonly options: SupervisorOptions;

  constructor(options: SupervisorOptions) {
    this.options = options;
    this.slots = Array.from({ length: options.count }, (_, index) => ({ index, startedAt: 0, deaths: 0 }));
    cluster.setupPrimary({ serialization: 'advanced' });
  }

  /** Forks every worker; resolves with the HTTP port once one listens, rejects if one exits before any does. */
  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onListening = (_worker: Worker, address: { port: number }) => {
        cluster.off('exit', onEarlyExit);
        resolve(address.port);
      };
      const onEarlyExit = (worker: Worker, code: number | null, signal: string | null) => {
        cluster.off('listening', onListening);
        this.stopping = true;
        reject(new Error(`HTTP worker ${worker.id} exited (${signal ?? `code ${code}`}) before listening`));
      };
      cluster.once('listening', onListening);
      cluster.once('exit', onEarlyExit);
      cluster.on('message', (worker, message) => this.options.onMessage(worker, message));
      cluster.on('exit', (worker, code, signal) => this.exited(worker, code, signal));
      for (const slot of this.slots) this.fork(slot);
    });
  }

  /** The workers running now. */
  get workers(): Worker[] {
    return this.slots.flatMap((slot) => (slot.worker ? [slot.worker] : []));
  }

  /** SIGTERM to every worker; resolves when all have exited (those left after timeoutMs + a grace are killed). */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) clearTimeout(slot.timer);
    const running = this.workers.filter((worker) => !worker.isDead());
    const exits = running.map((worker) => new Promise<void>((resolve) => worker.process.once('exit', () => resolve())));
    for (const worker of running) worker.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const worker of running) {
        if (worker.isDead()) continue;
        this.options.logger.warn({ worker: worker.id, pid: worker.process.pid }, 'HTTP worker still running after the shutdown timeout: killed');
        worker.process.kill('SIGKILL');
      }
    }, timeoutMs + KILL_GRACE_MS);
    await Promise.all(exits);
    clearTimeout(timer);
  }

  private fork(slot: Slot): void {
    slot.timer = undefined;
    slot.startedAt = Date.now();
    slot.worker = cluster.fork(this.options.env);
  }

  private exited(worker: Worker, code: number | null, signal: string | null): void {
    const slot = this.slots.find((s) => s.worker === worker);
    this.options.onExit(worker);
    if (!slot || this.stopping) return;
    slot.worker = undefined;
    const lived = Date.now() - slot.startedAt;
    slot.deaths = lived >= RESTART_RESET_AFTER_MS ? 1 : slot.deaths + 1;
    const delayMs = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** (slot.deaths - 1));
    this.options.logger.error(
      { worker: worker.id, pid: worker.process.pid, code, signal, livedMs: lived, restartInMs: delayMs },
      'HTTP worker exited unexpectedly: forking another',
    );
    slot.timer = setTimeout(() => this.fork(slot), delayMs);
  }
}
