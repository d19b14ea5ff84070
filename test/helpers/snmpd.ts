import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SNMPD_BIN = '/usr/sbin/snmpd';

export type AuthProtocol = 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
export type PrivProtocol = 'des' | 'aes' | 'aes256b' | 'aes256r';

export interface TestUser {
  name: string;
  level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol?: AuthProtocol;
  authKey?: string;
  privProtocol?: PrivProtocol;
  privKey?: string;
  writable?: boolean;
}

/** Net-SNMP's names. Its AES-256 is Blumenthal key extension; AES-256-C is the Cisco (Reeder) one. */
const SNMPD_AUTH: Record<AuthProtocol, string> = { md5: 'MD5', sha: 'SHA', sha224: 'SHA-224', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };
const SNMPD_PRIV: Record<PrivProtocol, string> = { des: 'DES', aes: 'AES', aes256b: 'AES-256', aes256r: 'AES-256-C' };

/**
 * The users every test agent gets. AES-256 key extension (Blumenthal vs Reeder) only changes the key when the
 * auth hash is shorter than 32 bytes, so those users authenticate with SHA-1 to tell the variants apart.
 */
export const TEST_USERS = {
  noAuth: { name: 'np-noauth', level: 'noAuthNoPriv' },
  md5: { name: 'np-md5', level: 'authNoPriv', authProtocol: 'md5', authKey: 'md5-auth-pass' },
  sha: { name: 'np-sha', level: 'authNoPriv', authProtocol: 'sha', authKey: 'sha-auth-pass' },
  sha224: { name: 'np-sha224', level: 'authNoPriv', authProtocol: 'sha224', authKey: 'sha224-auth-pass' },
  sha256: { name: 'np-sha256', level: 'authNoPriv', authProtocol: 'sha256', authKey: 'sha256-auth-pass' },
  sha384: { name: 'np-sha384', level: 'authNoPriv', authProtocol: 'sha384', authKey: 'sha384-auth-pass' },
  sha512: { name: 'np-sha512', level: 'authNoPriv', authProtocol: 'sha512', authKey: 'sha512-auth-pass' },
  des: { name: 'np-des', level: 'authPriv', authProtocol: 'md5', authKey: 'des-auth-pass', privProtocol: 'des', privKey: 'des-priv-pass' },
  aes: { name: 'np-aes', level: 'authPriv', authProtocol: 'sha', authKey: 'aes-auth-pass', privProtocol: 'aes', privKey: 'aes-priv-pass', writable: true },
  aes256b: { name: 'np-aes256b', level: 'authPriv', authProtocol: 'sha', authKey: 'aes256b-auth-pass', privProtocol: 'aes256b', privKey: 'aes256b-priv-pass' },
  aes256r: { name: 'np-aes256r', level: 'authPriv', authProtocol: 'sha', authKey: 'aes256r-auth-pass', privProtocol: 'aes256r', privKey: 'aes256r-priv-pass' },
  sha512Aes: { name: 'np-sha512aes', level: 'authPriv', authProtocol: 'sha512', authKey: 'sha512-auth-pass', privProtocol: 'aes', privKey: 'sha512-priv-pass' },
} as const satisfies Record<string, TestUser>;

export const COMMUNITY_RO = 'public';
export const COMMUNITY_RW = 'private';

export interface Snmpd {
  host: '127.0.0.1';
  port: number;
  dir: string;
  /** The agent's log so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface SnmpdOptions {
  /** More snmpd.conf lines (e.g. `extend NAME PROG ARGS` for NET-SNMP-EXTEND-MIB). */
  extraConfig?: string[];
  /** More UDP ports on 127.0.0.1 the same agent answers on (agentAddress takes many). */
  extraPorts?: number;
}

/** Starts a real Net-SNMP agent on 127.0.0.1 and [::1] on a free UDP port with a generated config. */
export async function startSnmpd(users: readonly TestUser[] = Object.values(TEST_USERS), options: SnmpdOptions = {}): Promise<Snmpd & { ports: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'netprobe-snmpd-'));
  const persistentDir = join(dir, 'persist');
  mkdirSync(persistentDir);
  const port = await freeUdpPort();
  const ports = [port];
  while (ports.length < 1 + (options.extraPorts ?? 0)) {
    const extra = await freeUdpPort();
    if (!ports.includes(extra)) ports.push(extra);
  }
  const confFile = join(dir, 'snmpd.conf');
  const logFile = join(dir, 'snmpd.log');
  const extraAddresses = ports.slice(1).map((p) => `agentAddress udp:127.0.0.1:${p}`);
  writeFileSync(confFile, `${snmpdConf(port, users)}${[...extraAddresses, ...(options.extraConfig ?? [])].join('\n')}\n`);

  const child = spawn(SNMPD_BIN, ['-f', '-C', '-c', confFile, '-Lf', logFile, '-p', join(dir, 'snmpd.pid')], {
    env: { ...process.env, SNMP_PERSISTENT_DIR: persistentDir, MIBS: '' },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitUntilAnswering(child, port);
  } catch (err) {
    const text = log();
    await stop();
    throw new Error(`snmpd did not start: ${(err as Error).message}\n${text}`);
  }
  return { host: '127.0.0.1', port, ports, dir, log, stop };
}

function snmpdConf(port: number, users: readonly TestUser[]): string {
  const lines = [
    `agentAddress udp:127.0.0.1:${port},udp6:[::1]:${port}`,
    'sysName netprobe-test-agent',
    'dontLogTCPWrappersConnects yes',
    `rocommunity ${COMMUNITY_RO} 127.0.0.1`,
    `rocommunity6 ${COMMUNITY_RO} ::1`,
    `rwcommunity ${COMMUNITY_RW} 127.0.0.1`,
    `rwcommunity6 ${COMMUNITY_RW} ::1`,
    // sysContact and sysLocation are left unset so that they stay writable.
  ];
  for (const user of users) {
    const auth = user.authProtocol ? ` ${SNMPD_AUTH[user.authProtocol]} "${user.authKey}"` : '';
    const priv = user.privProtocol ? ` ${SNMPD_PRIV[user.privProtocol]} "${user.privKey}"` : '';
    lines.push(`createUser ${user.name}${auth}${priv}`);
    const level = user.level === 'noAuthNoPriv' ? 'noauth' : user.level === 'authNoPriv' ? 'auth' : 'priv';
    lines.push(`${user.writable ? 'rwuser' : 'rouser'} ${user.name} ${level}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A port free on both 127.0.0.1 and ::1 (snmpd binds both). */
async function freeUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const v4 = createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      v4.once('error', reject);
      v4.bind(0, '127.0.0.1', () => resolve(v4.address().port));
    });
    const v6 = createSocket({ type: 'udp6', ipv6Only: true });
    const free6 = await new Promise<boolean>((resolve) => {
      v6.once('error', () => resolve(false));
      v6.bind(port, '::1', () => resolve(true));
    });
    v4.close();
    if (free6) v6.close();
    if (free6) return port;
  }
  throw new Error('no free UDP port on 127.0.0.1 and ::1');
}

async function waitUntilAnswering(child: ChildProcess, port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`snmpd exited with code ${child.exitCode}`);
    try {
      await snmpCli('snmpget', ['-v2c', '-c', COMMUNITY_RO, '-t', '0.3', '-r', '0', `udp:127.0.0.1:${port}`, '1.3.6.1.2.1.1.5.0']);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('snmpd did not answer snmpget in time');
}

/** Runs a Net-SNMP command-line tool with numeric output and no MIB loading. */
export async function snmpCli(tool: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run(tool, ['-m', '', '-On', ...args], {
    env: { ...process.env, MIBS: '', SNMPCONFPATH: '/nonexistent' },
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

export interface CliVarbind {
  oid: string;
  /** Net-SNMP's type label: STRING, Hex-STRING, INTEGER, OID, Timeticks, Counter32, Gauge32, Counter64, IpAddress, Opaque… */
  type: string;
  value: string;
}

/** Parses `snmpbulkwalk -On -Oe -Ox -Ot` output (multi-line hex strings included). */
export function parseCliVarbinds(output: string): CliVarbind[] {
  const varbinds: CliVarbind[] = [];
  for (const line of output.split('\n')) {
    const match = /^\.?([\d.]+) = (?:([\w-]+): ?)?(.*)$/.exec(line);
    if (match) {
      const endOfMibView = match[2] === undefined && /^No more variables left/.test(match[3]);
      const type = match[2] ?? (endOfMibView ? 'EndOfMibView' : match[3] === '""' ? 'STRING' : 'UNKNOWN');
      varbinds.push({ oid: match[1], type, value: match[3] });
    } else if (varbinds.length > 0 && /^[0-9A-F ]+$/.test(line.trim()) && line.trim() !== '') {
      varbinds[varbinds.length - 1].value += ` ${line.trim()}`;
    }
  }
  return varbinds;
}
