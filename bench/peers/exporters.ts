import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freeTcpPort, waitFor } from '../lib/ports.ts';
import { captureOutput, type ProcessRegistry } from '../lib/processes.ts';
import { COMMUNITY } from './snmpd.ts';

export interface Exporter {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** The one-OID module (sysUpTime.0) and the module walking a subtree, for snmp_exporter 0.21. */
export const SNMP_EXPORTER_GET_MODULE = 'bench_get';
export const SNMP_EXPORTER_WALK_MODULE = 'bench_walk';
export const GET_OID = '1.3.6.1.2.1.1.3.0';

/**
 * snmp_exporter 0.21 reads the generator's output format: per module walk/get/metrics, and the
 * walk parameters (version, max_repetitions, auth) inline in the module. Written by hand: the
 * generator needs MIB files Debian does not ship.
 */
export function snmpExporterConfig(walkRoot: string): string {
  const auth = { community: COMMUNITY };
  return stringify({
    [SNMP_EXPORTER_GET_MODULE]: {
      get: [GET_OID],
      metrics: [{ name: 'sysUpTime', oid: GET_OID.replace(/\.0$/, ''), type: 'gauge', help: 'sysUpTime' }],
      version: 2,
      auth,
      retries: 1,
      timeout: '2s',
    },
    [SNMP_EXPORTER_WALK_MODULE]: {
      walk: [walkRoot],
      // One metric over the walked subtree; every varbind is fetched either way, which is what is measured.
      metrics: [{ name: 'ifInOctets', oid: '1.3.6.1.2.1.2.2.1.10', type: 'counter', help: 'ifInOctets', indexes: [{ labelname: 'ifIndex', type: 'gauge' }] }],
      version: 2,
      max_repetitions: 25,
      auth,
      retries: 1,
      timeout: '10s',
    },
  });
}

/** snmp_exporter; `env` adds to its environment (GOMAXPROCS=1 to hold it to one core). */
export async function startSnmpExporter(registry: ProcessRegistry, walkRoot = '1.3.6.1', env: Record<string, string> = {}): Promise<Exporter> {
  const dir = registry.tempDir('netprobe-bench-snmp-exporter-');
  const config = join(dir, 'snmp.yml');
  writeFileSync(config, snmpExporterConfig(walkRoot));
  return startExporter(registry, '/usr/bin/prometheus-snmp-exporter', config, dir, env);
}

export const BLACKBOX_MODULE = 'tcp_connect';

export async function startBlackboxExporter(registry: ProcessRegistry): Promise<Exporter> {
  const dir = registry.tempDir('netprobe-bench-blackbox-');
  const config = join(dir, 'blackbox.yml');
  writeFileSync(config, stringify({ modules: { [BLACKBOX_MODULE]: { prober: 'tcp', timeout: '3s', tcp: { preferred_ip_protocol: 'ip4' } } } }));
  return startExporter(registry, '/usr/bin/prometheus-blackbox-exporter', config, dir);
}

async function startExporter(registry: ProcessRegistry, binary: string, config: string, dir: string, env: Record<string, string> = {}): Promise<Exporter> {
  const port = await freeTcpPort();
  const child = registry.spawn(binary, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const output = captureOutput(child);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await registry.stop(child);
    registry.removeDir(dir);
  };
  try {
    await waitFor(binary, async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output()}`);
      const res = await fetch(`${baseUrl}/metrics`);
      await res.arrayBuffer();
      return res.ok ? true : undefined;
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseUrl, pid: child.pid!, stop };
}
