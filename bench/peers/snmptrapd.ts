import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeUdpPort, udpPortBound, waitFor } from '../lib/ports.ts';
import type { ProcessRegistry } from '../lib/processes.ts';
import { SNMP_TOOL_ENV } from './snmpd.ts';

export interface Snmptrapd {
  port: number;
  /** Traps logged so far (one line each). */
  count(): number;
  stop(): Promise<void>;
}

/**
 * Debian's snmptrapd on 127.0.0.1, logging every trap as one line (numeric OIDs, all varbinds)
 * to a file the benchmark counts.
 */
export async function startSnmptrapd(registry: ProcessRegistry): Promise<Snmptrapd> {
  const dir = registry.tempDir('netprobe-bench-snmptrapd-');
  mkdirSync(join(dir, 'persist'));
  const port = await freeUdpPort();
  const conf = join(dir, 'snmptrapd.conf');
  const logFile = join(dir, 'traps.log');
  writeFileSync(conf, 'disableAuthorization yes\ndoNotRetainNotificationLogs yes\n');
  writeFileSync(logFile, '');
  const child = registry.spawn(
    '/usr/sbin/snmptrapd',
    ['-f', '-C', '-c', conf, '-n', '-On', '-m', '', '-Lf', logFile, '-F', 'TRAP %B %N %v\n', `udp:127.0.0.1:${port}`],
    { env: { ...SNMP_TOOL_ENV, SNMP_PERSISTENT_DIR: join(dir, 'persist') } },
  );
  const count = () => {
    const text = readFileSync(logFile, 'utf8');
    let lines = 0;
    for (let i = text.indexOf('TRAP '); i !== -1; i = text.indexOf('\nTRAP ', i + 1)) lines++;
    return lines;
  };
  await waitFor('snmptrapd', async () => {
    if (child.exitCode !== null) throw new Error(`snmptrapd exited with ${child.exitCode}: ${readFileSync(logFile, 'utf8')}`);
    return udpPortBound(port) ? true : undefined;
  });
  return {
    port,
    count,
    stop: async () => {
      await registry.stop(child);
      registry.removeDir(dir);
    },
  };
}
