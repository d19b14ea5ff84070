import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Socket as NetSocket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DhcpLab } from './dhcp-lab.ts';

const run = promisify(execFile);
const REPO_ROOT = join(import.meta.dirname, '..', '..');
const BRIDGE_SCRIPT = join(import.meta.dirname, 'snmpd-ns-bridge.ts');
/** The bridge's frame id for "both TCP connections to the agent are up" (client ids stay below it). */
const HELD_FRAME_ID = 0xffff;

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
  writeFileSync(confFile, `${snmpdConf(`udp:127.0.0.1:${port},udp6:[::1]:${port}`, users)}${[...extraAddresses, ...(options.extraConfig ?? [])].join('\n')}\n`);

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

export interface IsolatedSnmpd extends Snmpd {
  /** Datagrams clients sent to the agent (SNMP requests: round trips) since the last reset. */
  requests: number;
  resetRequests(): void;
}

/**
 * A real snmpd in a network namespace of its own (a DhcpLab namespace: lo and the two ends of a veth pair), reached through a UDP port
 * on 127.0.0.1 of the test's namespace. Its TCP, UDP, IP and interface tables are the namespace's, small and
 * fixed (a TCP listener and two held connections), whatever else runs on the machine: the machine's
 * tcpConnTable can hold thousands of TIME_WAIT rows from other tests, which snmpd serves very slowly.
 * Datagrams cross over a Unix socket (test/helpers/snmpd-ns-bridge.ts); no interface is created anywhere.
 */
export async function startIsolatedSnmpd(users: readonly TestUser[], options: Pick<SnmpdOptions, 'extraConfig'> = {}): Promise<IsolatedSnmpd> {
  const dir = mkdtempSync(join(tmpdir(), 'netprobe-snmpd-ns-'));
  const persistentDir = join(dir, 'persist');
  mkdirSync(persistentDir);
  const lab = new DhcpLab();
  const children: ChildProcess[] = [];
  const front = createSocket('udp4');
  const bridge = createServer();
  let link: NetSocket | undefined;
  let connectionsHeld = false;
  const clientIds = new Map<string, number>();
  const clientAddresses: RemoteInfo[] = [];
  const logFile = join(dir, 'snmpd.log');
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const agent: IsolatedSnmpd = {
    host: '127.0.0.1',
    port: 0,
    dir,
    requests: 0,
    resetRequests() {
      agent.requests = 0;
    },
    log,
    async stop() {
      await Promise.all(children.map(stopChild));
      link?.destroy();
      bridge.close();
      front.close();
      await lab.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    front.on('message', (message: Buffer, from: RemoteInfo) => {
      agent.requests++;
      const key = `${from.address}:${from.port}`;
      let id = clientIds.get(key);
      if (id === undefined) {
        if (clientAddresses.length >= HELD_FRAME_ID) return;
        id = clientAddresses.push(from) - 1;
        clientIds.set(key, id);
      }
      const header = Buffer.alloc(4);
      header.writeUInt16BE(id, 0);
      header.writeUInt16BE(message.length, 2);
      link?.write(Buffer.concat([header, message]));
    });
    await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
    agent.port = front.address().port;

    const socketPath = join(dir, 'bridge.sock');
    bridge.on('connection', (socket) => {
      link = socket;
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 4 && pending.length >= 4 + pending.readUInt16BE(2)) {
          const id = pending.readUInt16BE(0);
          const payload = pending.subarray(4, 4 + pending.readUInt16BE(2));
          pending = pending.subarray(4 + payload.length);
          if (id === HELD_FRAME_ID) connectionsHeld = true;
          else if (clientAddresses[id]) front.send(payload, clientAddresses[id].port, clientAddresses[id].address);
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => bridge.listen(socketPath, resolve));

    const namespace = lab.namespace('snmpd');
    // Interfaces with MAC and IPv4 addresses beside lo, for ifTable and ipAddrTable (nothing is sent on them).
    lab.ip(namespace, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
    for (const [i, address] of ['198.51.100.1/24', '203.0.113.1/24'].entries()) {
      lab.ip(namespace, 'addr', 'add', address, 'dev', `veth${i}`);
      lab.ip(namespace, 'link', 'set', `veth${i}`, 'up');
    }
    // Any port is free in a new namespace; an ephemeral one all the same.
    const innerPort = await freeUdpPort();
    const confFile = join(dir, 'snmpd.conf');
    writeFileSync(confFile, `${snmpdConf(`udp:127.0.0.1:${innerPort},tcp:127.0.0.1:${innerPort}`, users)}${(options.extraConfig ?? []).join('\n')}\n`);
    const snmpd = spawn('ip', ['netns', 'exec', namespace, SNMPD_BIN, '-f', '-C', '-c', confFile, '-Lf', logFile, '-p', join(dir, 'snmpd.pid')], {
      env: { ...process.env, SNMP_PERSISTENT_DIR: persistentDir, MIBS: '' },
      stdio: 'ignore',
    });
    children.push(snmpd);
    children.push(
      spawn('ip', ['netns', 'exec', namespace, process.execPath, '--import', 'tsx', BRIDGE_SCRIPT, socketPath, String(innerPort)], {
        cwd: REPO_ROOT,
        stdio: 'ignore',
      }),
    );
    await waitUntilAnswering(snmpd, agent.port);
    const deadline = Date.now() + 15_000;
    while (!connectionsHeld) {
      if (Date.now() > deadline) throw new Error('the bridge did not get its TCP connections to the agent');
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    const text = log();
    await agent.stop();
    throw new Error(`snmpd did not start in its namespace: ${(err as Error).message}\n${text}`);
  }
  return agent;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(killer);
}

function snmpdConf(agentAddress: string, users: readonly TestUser[]): string {
  const lines = [
    `agentAddress ${agentAddress}`,
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
