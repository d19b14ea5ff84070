import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freeUdpPort, waitFor } from '../lib/ports.ts';
import type { ProcessRegistry } from '../lib/processes.ts';

const run = promisify(execFile);

export const COMMUNITY = 'public';
/** Where the synthetic table of the large-walk scenario lives (a private enterprise number). */
export const BIG_TABLE_ROOT = '1.3.6.1.4.1.99999';
const BIG_TABLE_SCRIPT = fileURLToPath(new URL('./big-table.mjs', import.meta.url));

/** Environment for Net-SNMP tools: no MIB loading, no user config files. */
export const SNMP_TOOL_ENV = { ...process.env, MIBS: '', MIBDIRS: '/nonexistent', SNMPCONFPATH: '/nonexistent' };

/**
 * MIB modules left out of the agent: the tables that follow the machine's activity (processes,
 * connections), and hr_proc and vmstat, whose load and CPU-share objects appear a minute after the agent
 * starts. Their size, and the agent's time to read them from /proc, would vary from walk to walk. (Net-SNMP 5.9 names
 * the process tables hrSWRunTable and hrSWRunPerfTable; `-I -hr_swrun` left them in.)
 */
const VOLATILE_MODULES = ['hrSWRunTable', 'hrSWRunPerfTable', 'hr_proc', 'vmstat', 'tcpTable', 'udpTable', 'tcpConnectionTable', 'tcpListenerTable', 'udpEndpointTable'];

export interface BenchSnmpd {
  host: '127.0.0.1';
  port: number;
  /** Every port the agent answers on: `port` first, then the extra ones. */
  ports: number[];
  /** The snmpd processes (to pin them to a core). */
  pids: number[];
  stop(): Promise<void>;
}

export interface SnmpdOptions {
  /** Serve a synthetic table of this many rows under BIG_TABLE_ROOT (pass_persist). */
  bigTableRows?: number;
  /** Also answer on this many more UDP ports of 127.0.0.1: one agent process standing in for many (at most 127: snmpd opens 128 transports). */
  extraPorts?: number;
}

/** Starts Debian's snmpd on 127.0.0.1 on a free port with a generated config. */
export async function startSnmpd(registry: ProcessRegistry, options: SnmpdOptions = {}): Promise<BenchSnmpd> {
  const dir = registry.tempDir('netprobe-bench-snmpd-');
  mkdirSync(join(dir, 'persist'));
  const port = await freeUdpPort();
  const ports = [port];
  while (ports.length < 1 + (options.extraPorts ?? 0)) {
    const extra = await freeUdpPort();
    if (!ports.includes(extra)) ports.push(extra);
  }
  const confFile = join(dir, 'snmpd.conf');
  const logFile = join(dir, 'snmpd.log');
  const lines = [
    `agentAddress ${ports.map((p) => `udp:127.0.0.1:${p}`).join(',')}`,
    'sysName netprobe-bench-agent',
    'dontLogTCPWrappersConnects yes',
    `rocommunity ${COMMUNITY} 127.0.0.1`,
  ];
  if (options.bigTableRows) {
    lines.push(`pass_persist .${BIG_TABLE_ROOT} ${process.execPath} ${BIG_TABLE_SCRIPT} .${BIG_TABLE_ROOT} ${options.bigTableRows}`);
  }
  writeFileSync(confFile, `${lines.join('\n')}\n`);
  const child = registry.spawn('/usr/sbin/snmpd', ['-f', '-C', '-c', confFile, '-Lf', logFile, '-I', `-${VOLATILE_MODULES.join(',')}`], {
    env: { ...SNMP_TOOL_ENV, SNMP_PERSISTENT_DIR: join(dir, 'persist') },
  });
  const stop = async () => {
    await registry.stop(child);
    registry.removeDir(dir);
  };
  try {
    await waitFor('snmpd', async () => {
      if (child.exitCode !== null) throw new Error(`snmpd exited with ${child.exitCode}`);
      await snmpTool('snmpget', ['-v2c', '-c', COMMUNITY, '-t', '0.3', '-r', '0', `udp:127.0.0.1:${port}`, '1.3.6.1.2.1.1.5.0']);
      return true;
    });
  } catch (err) {
    let log = '';
    try {
      log = readFileSync(logFile, 'utf8');
    } catch {
      // no log yet
    }
    await stop();
    throw new Error(`${(err as Error).message}\n${log}`);
  }
  return { host: '127.0.0.1', port, ports, pids: [child.pid!], stop };
}

export async function snmpTool(tool: string, args: string[], timeoutMs = 120_000): Promise<string> {
  const { stdout } = await run(tool, ['-m', '', '-On', ...args], { env: SNMP_TOOL_ENV, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** snmpd listens on at most 128 transports: a fleet of agents is several snmpd processes, 125 ports each. */
export const PORTS_PER_SNMPD = 125;

/** `count` agents on 127.0.0.1, each its own UDP port, served by as few snmpd processes as that takes. */
export async function startSnmpdFleet(registry: ProcessRegistry, count: number): Promise<BenchSnmpd> {
  const agents: BenchSnmpd[] = [];
  try {
    for (let left = count; left > 0; left -= PORTS_PER_SNMPD) agents.push(await startSnmpd(registry, { extraPorts: Math.min(left, PORTS_PER_SNMPD) - 1 }));
  } catch (err) {
    await Promise.all(agents.map((a) => a.stop()));
    throw err;
  }
  return { host: '127.0.0.1', port: agents[0].port, ports: agents.flatMap((a) => a.ports), pids: agents.flatMap((a) => a.pids), stop: async () => void (await Promise.all(agents.map((a) => a.stop()))) };
}
