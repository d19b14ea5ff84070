import type { AppDeps } from './app.ts';
import type { Config } from './config.ts';
import { createDhcpClient } from './dhcp/client.ts';
import type { Logger } from './logger.ts';
import { Metrics } from './http/metrics.ts';
import { ProbeService } from './probe/index.ts';
import { TargetPolicy } from './net/policy.ts';
import { TargetResolver } from './net/resolve.ts';
import { Readiness } from './readiness.ts';

/** Builds the real adapters. No I/O here either: listeners are started by main.ts. */
export function buildDeps(config: Config, logger: Logger): AppDeps {
  return {
    config,
    logger,
    readiness: new Readiness(),
    resolver: new TargetResolver(targetPolicy(config)),
    metrics: new Metrics(),
    dhcp: createDhcpClient(config.dhcp, new TargetResolver(targetPolicy(config))),
    probes: new ProbeService(new TargetResolver(targetPolicy(config))),
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
