import type { Config } from './config.ts';
import { createDhcpClient, type DhcpClient } from './dhcp/client.ts';
import { dhcpMetrics } from './dhcp/metrics.ts';
import type { Logger } from './logger.ts';
import type { PrometheusMetrics } from './metrics.ts';
import { TargetPolicy } from './net/policy.ts';
import type { TargetResolver } from './net/resolve.ts';
import { probeMetrics } from './probe/metrics.ts';
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
  snmp: SnmpService;
  traps: TrapService;
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
}

/** Builds the adapters. No I/O here: listeners are opened by main.ts. */
export function buildDeps(config: Config, { logger, mib, resolver, metrics }: Foundations): AppDeps {
  return {
    config,
    logger,
    readiness: new Readiness(),
    metrics,
    snmp: new SnmpService({
      mib,
      audit: (entry) => logger.info({ audit: 'snmp-set', ...entry }, 'snmp set'),
      resolver,
      metrics: snmpMetrics(metrics),
      limits: config.snmp,
      credentials: config.snmp.credentials,
      sessions: { maxSessions: config.snmp.maxSessions },
    }),
    traps: new TrapService(config.traps, { mib, logger, metrics }),
    probes: new ProbeService({ resolver, metrics: probeMetrics(metrics), limits: config.probe }),
    dhcp: createDhcpClient(config.dhcp, { resolver, metrics: dhcpMetrics(metrics) }),
  };
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
