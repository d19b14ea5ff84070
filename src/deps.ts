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
import { createTrapService, type TrapService } from './snmp/trap-service.ts';

/** Builds the real adapters. No I/O here either: listeners are started by main.ts. */
export function buildDeps(config: Config, logger: Logger): AppDeps {
  const mib = lazyMibResolver({ mibDirs: config.snmp.mibDirs });
  const resolver = new TargetResolver(targetPolicy(config));
  const metrics = new Metrics();
  const traps = createTrapService(config.traps, mib, logger);
  publishTrapCounters(metrics, traps);
  return {
    config,
    logger,
    readiness: new Readiness(),
    resolver,
    metrics,
    dhcp: createDhcpClient(config.dhcp, resolver),
    probes: new ProbeService(resolver),
    traps,
    snmp: new SnmpService({ mib, resolver, ...config.snmp }),
  };
}

/** The receiver keeps its own counters; they are read at scrape time. */
function publishTrapCounters(metrics: Metrics, traps: TrapService): void {
  const stats = () => traps.receiver.stats();
  metrics.observe('netprobe_traps_received_total', 'Notifications accepted, by SNMP version', ['version'], () =>
    Object.entries(stats().received).map(([version, value]) => ({ labels: { version }, value })),
  );
  metrics.observe('netprobe_traps_received_by_pdu_total', 'Notifications accepted, by PDU type', ['pdu_type'], () =>
    Object.entries(stats().receivedByPduType).map(([pduType, value]) => ({ labels: { pdu_type: pduType }, value })),
  );
  metrics.observe('netprobe_traps_dropped_total', 'Datagrams dropped on the trap port, by reason', ['reason'], () =>
    Object.entries(stats().dropped).map(([reason, value]) => ({ labels: { reason }, value })),
  );
  publishTrapBusGauges(metrics, traps);
}

/** Read from the bus at scrape time, so they cannot drift from what it holds. */
function publishTrapBusGauges(metrics: Metrics, { bus }: TrapService): void {
  const gauge = (name: string, help: string, read: () => number) =>
    metrics.observe(name, help, [], () => [{ labels: {}, value: read() }], 'gauge');
  gauge('netprobe_trap_events_buffered', 'Events held in the resume ring buffer', () => bus.size);
  gauge('netprobe_trap_buffered_bytes', 'Bytes held by the resume ring buffer (event JSON plus a fixed overhead per event)', () => bus.bufferedBytes);
  gauge('netprobe_trap_subscribers', 'Open server-sent-event trap subscriptions', () => bus.subscriberCount);
  gauge('netprobe_trap_queued_bytes', 'Bytes queued for trap stream subscribers, all together', () => bus.queuedBytes);
  metrics.observe('netprobe_trap_subscriber_overflows_total', 'Times a subscriber queue was full and the subscriber switched to catching up from the ring buffer', [], () => [
    { labels: {}, value: bus.overflows },
  ]);
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
