import { EventBus } from '../events/trap-bus.ts';
import { trapFilterFields, type TrapBus } from '../events/trap-event.ts';
import type { Logger } from '../logger.ts';
import type { MibResolver } from './mib.ts';
import { TrapReceiver, type TrapsConfig } from './trap-receiver.ts';

/** What the trap routes and main.ts need: the bus, the UDP receiver feeding it, and the MIB for names and filters. */
export interface TrapService {
  config: TrapsConfig;
  bus: TrapBus;
  receiver: TrapReceiver;
  mib: () => MibResolver;
}

/**
 * No I/O: main.ts calls receiver.start() when traps are enabled. `loadMib` is called once, on first
 * use (the first trap or the first symbolic filter), so that building the deps reads no MIB files.
 */
export function createTrapService(config: TrapsConfig, loadMib: () => MibResolver, logger: Logger): TrapService {
  let loaded: MibResolver | undefined;
  const mib = () => (loaded ??= loadMib());
  const bus: TrapBus = new EventBus({
    bufferSize: config.bufferSize,
    bufferBytes: config.bufferBytes,
    maxEventBytes: config.maxEventBytes,
    subscriberQueue: config.subscriberQueue,
    subscriberQueueBytes: config.subscriberQueueBytes,
    queuesMaxBytes: config.queuesMaxBytes,
    maxSubscribers: config.maxSubscribers,
    keyOf: trapFilterFields,
  });
  const receiver = new TrapReceiver(config, { bus, mib, logger: logger.child({ subsystem: 'traps' }) });
  return { config, bus, receiver, mib };
}
