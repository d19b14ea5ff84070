import type { Config } from '../../src/config.ts';
import { defaultConfig } from '../../src/config.ts';
import { buildDeps, targetPolicy, trapEngineFor, type AppDeps, type Foundations } from '../../src/deps.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { PrometheusMetrics } from '../../src/metrics.ts';
import type { TargetResolver } from '../../src/net/resolve.ts';
import { probeMetrics } from '../../src/probe/metrics.ts';
import { ProbeService, type ProberRegistry, type Resolver } from '../../src/probe/runner.ts';
import { MibResolver } from '../../src/snmp/mib.ts';
import { snmpMetrics } from '../../src/snmp/metrics.ts';
import { SnmpService, type SnmpServiceOptions } from '../../src/snmp/service.ts';
import { TargetPolicy } from '../../src/net/policy.ts';
import { TargetResolver as Resolving } from '../../src/net/resolve.ts';

const mibs = new Map<string, MibResolver>();

/** The MIBs of `dirs`, parsed once per test file (it takes a while). */
export function testMib(dirs: string[] = [], storeDir?: string): MibResolver {
  if (storeDir !== undefined) return MibResolver.create({ mibDirs: dirs, storeDir }); // uploads change it: one per caller
  const key = dirs.join(',');
  let mib = mibs.get(key);
  if (!mib) mibs.set(key, (mib = MibResolver.create({ mibDirs: dirs })));
  return mib;
}

/** What main.ts prepares before building the adapters, for a config that listens nowhere. */
export function testFoundations(config: Config, logger: Logger = createLogger('silent')): Foundations {
  const metrics = new PrometheusMetrics();
  return {
    logger,
    mib: testMib(config.snmp.mibDirs, config.snmp.mibStoreDir),
    resolver: new Resolving(targetPolicy(config, [config.http.port, config.traps.port])),
    metrics,
    // In-process tests run the embedded engine; Redis mode is tested through service processes.
    trapEngine: trapEngineFor(config, { redis: undefined, metrics, logger }),
    redis: undefined,
  };
}

/** The real adapters for `config`, as main.ts builds them. */
export function depsFor(config: Config, logger?: Logger): AppDeps {
  return buildDeps(config, testFoundations(config, logger));
}

/** The real SNMP adapter with the default limits; `resolver` defaults to the default target policy (loopback allowed). */
export function testSnmpService(options: Partial<SnmpServiceOptions> = {}): SnmpService {
  const config = defaultConfig();
  return new SnmpService({
    mib: testMib(),
    audit: () => {},
    resolver: new Resolving(new TargetPolicy()),
    metrics: snmpMetrics(new PrometheusMetrics({ processMetrics: false })),
    limits: config.snmp,
    credentials: config.snmp.credentials,
    ...options,
  });
}

/** The real probe adapter with the default limits and policy (loopback allowed). */
export function testProbeService(options: { resolver?: Resolver | TargetResolver; probers?: ProberRegistry } = {}): ProbeService {
  return new ProbeService({
    resolver: options.resolver ?? new Resolving(new TargetPolicy()),
    metrics: probeMetrics(new PrometheusMetrics({ processMetrics: false })),
    limits: defaultConfig().probe,
    probers: options.probers,
  });
}
