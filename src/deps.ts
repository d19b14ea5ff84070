import type { AppDeps } from './app.ts';
import type { Config } from './config.ts';
import { createDhcpClient } from './dhcp/client.ts';
import type { Logger } from './logger.ts';
import { Metrics } from './http/metrics.ts';
import { ProbeService } from './probe/index.ts';
import { TargetPolicy } from './net/policy.ts';
import { TargetResolver } from './net/resolve.ts';
import { Readiness } from './readiness.ts';
import { lazyMibResolver } from './snmp/mib.ts';
import { SnmpService } from './snmp/service.ts';
import { createTrapService } from './snmp/trap-service.ts';

/** Builds the real adapters. No I/O here either: listeners are started by main.ts. */
export function buildDeps(config: Config, logger: Logger): AppDeps {
  const mib = lazyMibResolver({ mibDirs: config.snmp.mibDirs });
  return {
    config,
    logger,
    readiness: new Readiness(),
    resolver: new TargetResolver(targetPolicy(config)),
    metrics: new Metrics(),
    dhcp: createDhcpClient(config.dhcp, new TargetResolver(targetPolicy(config))),
    probes: new ProbeService(new TargetResolver(targetPolicy(config))),
    traps: createTrapService(config.traps, mib, logger),
    snmp: new SnmpService({ mib, resolver: new TargetResolver(targetPolicy(config)), ...config.snmp }),
  };
}

export function targetPolicy(config: Config): TargetPolicy {
  const ownPorts = [config.http.port, ...(config.traps.enabled ? [config.traps.port] : [])];
  return new TargetPolicy({
    allow: config.policy.allow,
    deny: config.policy.deny,
    denyLinkLocal: config.policy.denyLinkLocal,
    ownPorts,
  });
}
