import { isAdapterError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { MetricsRegistrar } from '../../metrics.ts';
import type { EventFilter } from '../trap-bus.ts';
import type { CheckedLookup } from './delivery.ts';
import { Forwarder } from './forwarder.ts';
import { registerForwarderMetrics } from './metrics.ts';
import type { ForwarderQueueFactory } from './queue.ts';
import { shownUrl, type ForwarderConfig, type ForwarderFilter, type ForwarderStatus } from './schemas.ts';

export interface TrapForwardersDeps<K> {
  /** Each forwarder's queue: in this process, or a consumer group on the shared stream (TRAP_BUS). */
  queueFor: ForwarderQueueFactory<K>;
  /** The filter of a forwarder (trapOid names resolved with the MIBs). */
  filterFor: (filter: ForwarderFilter) => EventFilter<K> | undefined;
  /** Resolves a host and checks it against the target policy (TargetResolver). */
  lookup: CheckedLookup;
  logger: Logger;
  metrics: MetricsRegistrar;
}

/** The webhook forwarders of TRAP_FORWARDERS. No I/O until checkTargets() and start(). */
export class TrapForwarders<K> {
  readonly forwarders: Forwarder[];
  private readonly lookup: CheckedLookup;
  private readonly logger: Logger;

  constructor(configs: ForwarderConfig[], deps: TrapForwardersDeps<K>) {
    this.lookup = deps.lookup;
    this.logger = deps.logger;
    this.forwarders = configs.map((config) => {
      let filter: EventFilter<K> | undefined;
      try {
        filter = deps.filterFor(config.filter);
      } catch (err) {
        throw new Error(`TRAP_FORWARDERS: forwarder "${config.name}": ${err instanceof Error ? err.message : String(err)}`);
      }
      const queue = deps.queueFor(config.name, {
        filter,
        claimIdleMs: config.claimIdleMs,
        maxEvents: config.queue.maxEvents,
        maxBytes: config.queue.maxBytes,
      });
      return new Forwarder(config, queue, deps.lookup, deps.logger);
    });
    registerForwarderMetrics(deps.metrics, () => this.status());
  }

  /**
   * At start: each forwarder's host, resolved and checked against the target policy like every other
   * outbound connection. A refused one stops the start, naming the forwarder and the rule; a name that
   * does not resolve yet is only logged (it is resolved and checked again before every request).
   */
  async checkTargets(): Promise<void> {
    for (const forwarder of this.forwarders) {
      const { host, port } = forwarder.target;
      try {
        await this.lookup(host, port);
      } catch (err) {
        if (isAdapterError(err) && err.code === 'REFUSED_BY_POLICY') {
          const rule = typeof err.extensions.rule === 'string' ? ` (rule ${err.extensions.rule})` : '';
          throw new Error(`TRAP_FORWARDERS: forwarder "${forwarder.name}" (${shownUrl(forwarder.config.url)}) is refused by the target policy${rule}: ${err.message}`);
        }
        this.logger.warn({ forwarder: forwarder.name, err: { message: err instanceof Error ? err.message : String(err) } }, 'trap forwarder: its host does not resolve now');
      }
    }
  }

  start(): void {
    for (const forwarder of this.forwarders) forwarder.start();
    if (this.forwarders.length > 0) this.logger.info({ forwarders: this.forwarders.map((f) => f.name) }, 'trap forwarders started');
  }

  async close(): Promise<void> {
    await Promise.all(this.forwarders.map((forwarder) => forwarder.close()));
  }

  status(): ForwarderStatus[] {
    return this.forwarders.map((forwarder) => forwarder.status());
  }
}
