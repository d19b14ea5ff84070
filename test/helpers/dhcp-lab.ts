import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * A throw-away network lab made of Linux network namespaces (names `np-<pid>-<rand>-<role>`), veth
 * pairs, bridges and dnsmasq instances. Nothing is ever created in, or sent from, the namespace the
 * tests run in: every interface is created directly inside a lab namespace, and every DHCP client runs
 * as a child process inside one (see dhcp-ns-child.ts). Everything is torn down by destroy(), and also
 * on process exit or SIGINT/SIGTERM if a test run dies half-way.
 */

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const CHILD_SCRIPT = join(REPO_ROOT, 'test', 'helpers', 'dhcp-ns-child.ts');
const liveLabs = new Set<DhcpLab>();
let exitHooksInstalled = false;

export interface DnsmasqHandle {
  namespace: string;
  leaseFile: string;
  process: ChildProcess;
  log: () => string;
}

export interface ChildResult {
  status: number;
  body: any;
  elapsedMs: number;
  rawPackets?: { from: string; hex: string }[];
  all?: { status: number; body: any }[];
}

export class DhcpLab {
  readonly prefix = `np-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly namespaces: string[] = [];
  private readonly dnsmasqs: DnsmasqHandle[] = [];
  private readonly tempDir = mkdtempSync(join(tmpdir(), 'netprobe-dhcp-lab-'));
  private destroyed = false;

  constructor() {
    installExitHooks();
    sweepStaleLabs();
    liveLabs.add(this);
  }

  /** A fresh namespace with only `lo` (up). */
  namespace(role: string): string {
    const name = `${this.prefix}-${role}`;
    run('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
    this.ip(name, 'link', 'set', 'lo', 'up');
    return name;
  }

  ip(namespace: string, ...args: string[]): string {
    if (!this.namespaces.includes(namespace)) throw new Error(`refusing to touch ${namespace}: not a namespace of this lab`);
    return run('ip', ['-n', namespace, ...args]);
  }

  /** A veth pair created directly between two lab namespaces, both ends up. */
  veth(nsA: string, ifA: string, nsB: string, ifB: string): void {
    if (!this.namespaces.includes(nsB)) throw new Error(`${nsB} is not a namespace of this lab`);
    this.ip(nsA, 'link', 'add', 'name', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB);
    this.ip(nsA, 'link', 'set', ifA, 'up');
    this.ip(nsB, 'link', 'set', ifB, 'up');
  }

  bridge(namespace: string, name: string, ports: string[]): void {
    this.ip(namespace, 'link', 'add', 'name', name, 'type', 'bridge');
    for (const port of ports) this.ip(namespace, 'link', 'set', port, 'master', name);
    this.ip(namespace, 'link', 'set', name, 'up');
  }

  async startDnsmasq(namespace: string, iface: string, options: string[]): Promise<DnsmasqHandle> {
    const id = `${namespace}-${iface}`;
    const leaseFile = join(this.tempDir, `${id}.leases`);
    const args = [
      'netns', 'exec', namespace, 'dnsmasq',
      '--no-daemon', '--conf-file=/dev/null', '--port=0', `--interface=${iface}`, '--bind-interfaces',
      '--log-facility=-', '--log-dhcp', `--dhcp-leasefile=${leaseFile}`, `--pid-file=${join(this.tempDir, `${id}.pid`)}`,
      ...options,
    ];
    const child = spawn('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const handle: DnsmasqHandle = { namespace, leaseFile, process: child, log: () => log };
    this.dnsmasqs.push(handle);
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`dnsmasq exited (${child.exitCode}): ${log}`);
      return /DHCP, IP range/.test(log);
    }, 5_000, `dnsmasq in ${namespace} did not start: ${log}`);
    return handle;
  }

  leases(handle: DnsmasqHandle): string {
    try {
      return readFileSync(handle.leaseFile, 'utf8');
    } catch {
      return '';
    }
  }

  /**
   * Runs the netprobe service inside `namespace` (a child `node` process) and sends it one
   * `POST /dhcp/discover` over HTTP from inside the same namespace. The child refuses to start unless
   * it is in `namespace` and that namespace has exactly the interfaces `expectedInterfaces`.
   */
  runService(
    namespace: string,
    expectedInterfaces: string[],
    body: unknown,
    extra: {
      config?: Record<string, unknown>;
      occupy?: { address: string; port: number };
      capture?: boolean;
      parallel?: number;
      /** Run the service without CAP_NET_RAW and CAP_NET_BIND_SERVICE (dropped from the bounding set). */
      withoutNetCapabilities?: boolean;
    } = {},
  ): Promise<ChildResult> {
    if (!this.namespaces.includes(namespace)) throw new Error(`${namespace} is not a namespace of this lab`);
    const { withoutNetCapabilities, ...options } = extra;
    const job = {
      namespace,
      expectedInterfaces,
      parentNetns: readlinkSync('/proc/self/ns/net'),
      body,
      ...options,
    };
    const node = [process.execPath, '--import', 'tsx', CHILD_SCRIPT, JSON.stringify(job)];
    const command = withoutNetCapabilities
      ? ['setpriv', '--bounding-set', '-net_raw,-net_bind_service', '--inh-caps', '-net_raw,-net_bind_service', ...node]
      : node;
    return new Promise((resolvePromise, reject) => {
      const child = spawn('ip', ['netns', 'exec', namespace, ...command], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(killer);
        if (code !== 0) return reject(new Error(`namespace child exited ${code}: ${err || out}`));
        try {
          resolvePromise(JSON.parse(out.trim().split('\n').pop() ?? '') as ChildResult);
        } catch {
          reject(new Error(`namespace child printed no JSON: ${out} ${err}`));
        }
      });
    });
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    await Promise.all(this.dnsmasqs.map((d) => stopProcess(d.process)));
    this.destroySync();
  }

  /** Synchronous teardown, usable from an 'exit' handler. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const d of this.dnsmasqs) {
      if (d.process.exitCode === null && d.process.pid) {
        try {
          process.kill(d.process.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    for (const ns of this.namespaces.reverse()) deleteNamespace(ns);
    rmSync(this.tempDir, { recursive: true, force: true });
    liveLabs.delete(this);
  }
}

/** Names of namespaces this process created and has not deleted (for assertions). */
export function leftoverNamespaces(prefix: string): string[] {
  return run('ip', ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((name) => name.startsWith(prefix));
}

/** Kills what still runs inside a namespace (by pid) and deletes it. */
function deleteNamespace(ns: string): void {
  try {
    const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const pid of pids.split(/\s+/).filter(Boolean).map(Number)) {
      if (pid !== process.pid) process.kill(pid, 'SIGKILL');
    }
  } catch {
    /* gone already, or nothing left */
  }
  try {
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  } catch {
    /* already gone */
  }
}

/** Labs left by a test process that died without cleaning up (SIGKILL): `np-<pid>-…` whose pid is gone. */
function sweepStaleLabs(): void {
  for (const ns of leftoverNamespaces('np-')) {
    const match = /^np-(\d+)-[0-9a-f]+-/.exec(ns);
    if (!match || Number(match[1]) === process.pid || isAlive(Number(match[1]))) continue;
    deleteNamespace(ns);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.once('exit', () => {
    for (const lab of liveLabs) lab.destroySync();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const lab of liveLabs) lab.destroySync();
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  }
}

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolvePromise) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 2_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

export async function waitFor(check: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 50));
  }
}
