import type { Redis, RedisOptions } from 'ioredis';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { loadOnFirstUse } from '../lazy-module.ts';

export type RedisConfig = Config['redis'];

/** How long the stream reader blocks in one XREAD before it asks again. */
export const READER_BLOCK_MS = 2_000;

/** A command that gets no answer in this long fails (a server that stopped answering without closing). */
const COMMAND_TIMEOUT_MS = 5_000;

/** ioredis, loaded when REDIS_URL is set: a service without it does not carry ioredis (about 3 MB of RSS). */
const ioredis = loadOnFirstUse<typeof import('ioredis')>('ioredis');

/** Reconnection delays: doubling from 100 ms, at most 2 s (ioredis keeps trying for ever). */
function retryDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt - 1, 5), 2_000);
}

/**
 * The connections to Redis: `client` for appends, reads and the rate limit, and `reader`, dedicated to
 * the stream reader's blocking XREAD. Neither queues commands while disconnected (a command then fails
 * at once: the bus keeps its own bounded backlog, nothing else may grow), and a command in flight when
 * the connection drops fails rather than being sent again.
 */
export interface RedisConnections {
  client: Redis;
  reader: Redis;
  /** Opens one more connection, for a client that blocks it (a trap forwarder's XREADGROUP); closed by close(). */
  dedicated(name: string): Redis;
  /** Closes every connection. */
  close(): Promise<void>;
}

/**
 * Opens the connections (ioredis connects in the background and reconnects for ever). Called by main.ts
 * only: connecting is a side effect of starting the service. Redis being down is not an error here:
 * the bus reports it (/readyz, metrics) and catches up when Redis is back.
 */
export function openRedis(config: RedisConfig, logger: Logger): RedisConnections {
  if (!config.url) throw new Error('REDIS_URL is not set');
  const options: RedisOptions = {
    ...(config.password === undefined ? {} : { password: config.password }),
    // RESP2: the reply shapes of the Redis documentation (XREAD: [[stream, entries]]), checked by src/redis/replies.ts.
    protocol: 2,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: retryDelay,
    connectTimeout: COMMAND_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
  };
  const { Redis: RedisClient } = ioredis();
  const log = logger.child({ subsystem: 'redis' });
  const connections: Redis[] = [];
  const open = (name: string, extra: RedisOptions = {}) => {
    const connection = new RedisClient(config.url!, { ...options, connectionName: name, ...extra });
    // Without a listener ioredis prints every failed attempt to the console; state changes are logged by their users.
    connection.on('error', (err: Error) => log.debug({ connection: name, err: { message: err.message } }, 'redis connection error'));
    connections.push(connection);
    return connection;
  };
  const client = open('netprobe');
  const reader = open('netprobe-reader', { commandTimeout: READER_BLOCK_MS + COMMAND_TIMEOUT_MS });
  return {
    client,
    reader,
    dedicated: (name) => open(name, { commandTimeout: READER_BLOCK_MS + COMMAND_TIMEOUT_MS }),
    async close() {
      await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  };
}
