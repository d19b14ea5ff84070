import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import { createDhcpClient, type DhcpClient } from './dhcp/client.ts';
import { dhcpMetrics } from './dhcp/metrics.ts';
import type { BusEngine } from './events/bus-engine.ts';
import { MemoryEngine } from './events/memory-engine.ts';
import { TrapForwarders } from './events/forwarders/index.ts';
import { MemoryForwarderQueue, type ForwarderQueueFactory } from './events/forwarders/queue.ts';
import { RedisForwarderQueue } from './events/forwarders/redis-queue.ts';
import { appendLatencyMetric } from './events/metrics.ts';
import { RedisStreamEngine } from './events/redis-engine.ts';
import { trapKeyCodec, type TrapBus, type TrapFilterFields } from './events/trap-event.ts';
import { RateLimiter, SharedRateLimiter, type RateLimit } from './http/rate-limit.ts';
import type { Logger } from './logger.ts';
import type { MetricsRegistrar, PrometheusMetrics } from './metrics.ts';
import { TargetPolicy } from './net/policy.ts';
import type { TargetResolver } from './net/resolve.ts';
import { probeMetrics } from './probe/metrics.ts';
import type { RedisConnections } from './redis/connection.ts';
import { ProbeService } from './probe/runner.ts';
import { Readiness } from './readiness.ts';
import type { MibResolver } from './snmp/mib.ts';
import { snmpMetrics } from './snmp/metrics.ts';
import { SnmpService } from './snmp/service.ts';
import { TrapService } from './snmp/trap-service.ts';

/** What the app is built from: the configuration and one adapter per area, complete before the first request. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  readiness: Readiness;
  /** Every area's metrics, registered through it; /metrics exposes them. */
  metrics: PrometheusMetrics;
  /** The per-token rate limit (shared through Redis when REDIS_URL is set); undefined when it is off. */
  rateLimit: RateLimit | undefined;
  snmp: SnmpService;
  traps: TrapService;
  /** The webhook forwarders of TRAP_FORWARDERS (none by default). */
  forwarders: TrapForwarders<TrapFilterFields>;
  probes: ProbeService;
  dhcp: DhcpClient;
}

/** The collaborators main.ts (or a test) prepares first, explicitly. */
export interface Foundations {
  logger: Logger;
  /** The parsed MIBs (MibResolver.create: an explicit step at start). */
  mib: MibResolver;
  /** Resolution and the target policy, complete: the ports the service listens on are known when it is built. */
  resolver: TargetResolver;
  metrics: PrometheusMetrics;
  /** The trap bus engine: MemoryEngine, or RedisStreamEngine over the connections main.ts opened (TRAP_BUS). */
  trapEngine: BusEngine<TrapFilterFields>;
  /** The Redis connections main.ts opened when REDIS_URL is set: the shared rate limit, forwarders' consumer groups. */
  redis: RedisConnections | undefined;
}

/** Builds the adapters. No I/O here: listeners and connections are opened by main.ts. */
export function buildDeps(config: Config, { logger, mib, resolver, metrics, trapEngine, redis }: Foundations): AppDeps {
  const traps = new TrapService(config.traps, { mib, logger, metrics, engine: trapEngine });
  const forwarders = new TrapForwarders(config.traps.forwarders, {
    queueFor: forwarderQueues(config, traps.bus, redis, logger),
    filterFor: (filter) => traps.filterFor(filter),
    lookup: (host, port) => resolver.resolve(host, { subsystem: 'traps', port }),
    logger: logger.child({ subsystem: 'forwarders' }),
    metrics,
  });
  return {
    config,
    logger,
    readiness: new Readiness(),
    metrics,
    rateLimit: rateLimitFor(config, redis?.client),
    snmp: new SnmpService({
      mib,
      audit: (entry) => logger.info({ audit: 'snmp-set', ...entry }, 'snmp set'),
      resolver,
      metrics: snmpMetrics(metrics),
      limits: config.snmp,
      credentials: config.snmp.credentials,
      sessions: { maxSessions: config.snmp.maxSessions },
    }),
    traps,
    forwarders,
    probes: new ProbeService({ resolver, metrics: probeMetrics(metrics), limits: config.probe }),
    dhcp: createDhcpClient(config.dhcp, { resolver, metrics: dhcpMetrics(metrics) }),
  };
}

/**
 * The trap bus engine TRAP_BUS names: in this process, or the Redis stream over the connections main.ts
 * opened (TRAP_BUS=redis needs REDIS_URL: the configuration refuses it otherwise).
 */
export function trapEngineFor(
  { traps, redis: redisConfig }: Config,
  { redis, metrics, logger }: { redis: RedisConnections | undefined; metrics: MetricsRegistrar; logger: Logger },
): BusEngine<TrapFilterFields> {
  if (traps.bus === 'memory') return new MemoryEngine({ dedupMs: traps.dedupMs });
  if (!redis) throw redisBusWithoutConnections();
  return new RedisStreamEngine({
    client: redis.client,
    reader: redis.reader,
    stream: traps.stream,
    maxLen: traps.streamMaxLen,
    maxAgeMs: traps.streamMaxAgeMs,
    dedupMs: traps.dedupMs,
    dedupPrefix: `${redisConfig.keyPrefix}dedup:`,
    backlog: traps.busBacklog,
    backlogBytes: traps.busBacklogBytes,
    keyCodec: trapKeyCodec,
    logger: logger.child({ subsystem: 'trap-bus' }),
    appendLatency: appendLatencyMetric(metrics),
  });
}

/**
 * Where each forwarder's events wait: a bounded queue fed by this process's bus (memory), or a consumer
 * group per forwarder on the shared stream, read over a connection of its own (redis).
 */
function forwarderQueues(
  { traps, redis: redisConfig }: Config,
  bus: TrapBus,
  redis: RedisConnections | undefined,
  logger: Logger,
): ForwarderQueueFactory<TrapFilterFields> {
  if (traps.bus === 'memory') return (_name, options) => new MemoryForwarderQueue(bus, options);
  if (!redis) throw redisBusWithoutConnections();
  const consumer = `${hostname()}-${process.pid}`;
  return (name, { filter, claimIdleMs }) =>
    new RedisForwarderQueue({
      connection: redis.dedicated(`netprobe-forwarder-${name}`),
      stream: traps.stream,
      group: `${redisConfig.keyPrefix}forwarder:${name}`,
      consumer,
      filter,
      keyCodec: trapKeyCodec,
      maxEventBytes: traps.maxEventBytes,
      claimIdleMs,
      logger: logger.child({ subsystem: 'forwarders', forwarder: name }),
    });
}

/** TRAP_BUS=redis needs REDIS_URL: the configuration refuses it otherwise, so this is a wiring mistake. */
function redisBusWithoutConnections(): Error {
  return new Error('TRAP_BUS=redis needs the Redis connections (REDIS_URL)');
}

/** The per-token rate limit: off, per process, or shared by every replica through Redis. */
function rateLimitFor({ limits, redis: redisConfig }: Config, redis: Redis | undefined): RateLimit | undefined {
  if (limits.ratePerSecond <= 0) return undefined;
  const local = new RateLimiter(limits.ratePerSecond, limits.rateBurst);
  if (!redis) return local;
  return new SharedRateLimiter({ client: redis, ratePerSecond: limits.ratePerSecond, burst: limits.rateBurst, keyPrefix: redisConfig.keyPrefix, fallback: local });
}

/** The target policy from the configuration, with the service's own listening ports denied on loopback. */
export function targetPolicy(config: Config, ownPorts: number[]): TargetPolicy {
  return new TargetPolicy({
    allow: config.policy.allow,
    deny: config.policy.deny,
    denyLinkLocal: config.policy.denyLinkLocal,
    ownPorts,
  });
}
