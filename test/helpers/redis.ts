import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { Socket } from 'node:net';
import { freeTcpPort } from '../../bench/lib/ports.ts';

export { freeTcpPort };

/**
 * A real redis-server (Debian's) on a free loopback port, without persistence, for tests. Started by
 * the test, stopped in afterAll (and killed with the test process: it is our child). kill() and
 * restart() (same port, empty again: no persistence) simulate an outage.
 */
export interface RedisServer {
  port: number;
  url: string;
  /** Extra redis-server arguments it was started with. */
  args: string[];
  readonly running: boolean;
  /** SIGKILL, as a crash would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty). */
  restart(): Promise<void>;
  /** One command over a fresh connection (RESP), for tests that look at the stream directly. */
  command(...args: string[]): Promise<unknown>;
  stop(): Promise<void>;
}

/** Starts a process: node's spawn, or a registry's that kills what it started (the benchmark's). */
export type Spawner = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

/** `port`: a port chosen beforehand (e.g. one a service was told to use while nothing listened there). */
export async function startRedis(args: string[] = [], port?: number, spawner: Spawner = spawn): Promise<RedisServer> {
  port ??= await freeTcpPort();
  const launch = (p: number, a: string[]) => launchWith(spawner, p, a);
  let child = await launch(port, args);
  const requirepass = args.indexOf('--requirepass');
  const password = requirepass === -1 ? undefined : args[requirepass + 1];
  const server: RedisServer = {
    port: port!,
    url: `redis://127.0.0.1:${port}`,
    args,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    async kill() {
      await killChild(child);
    },
    async restart() {
      await killChild(child);
      child = await launch(port, args);
    },
    command: (...command: string[]) => redisCommand(port!, command, password),
    async stop() {
      await killChild(child);
    },
  };
  return server;
}

async function launchWith(spawner: Spawner, port: number, args: string[]): Promise<ChildProcess> {
  const child = spawner(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output}`);
    try {
      if ((await redisCommand(port, ['PING'])) === 'PONG') return child;
    } catch (err) {
      if (/^NOAUTH/.test((err as Error).message)) return child; // up, and asks for the password (--requirepass)
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port}: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}


/** Sends one command in RESP (after AUTH, with a password) and parses its reply (enough of RESP2 for tests: strings, integers, arrays, nil, errors). */
function redisCommand(port: number, args: string[], password?: string): Promise<unknown> {
  const commands = password === undefined ? [args] : [['AUTH', password], args];
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('redis command timed out'));
    }, 5_000);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      // The replies to every command sent; the last one is the answer.
      let parsed: { value: unknown; end: number } | undefined;
      let offset = 0;
      for (let i = 0; i < commands.length; i++) {
        parsed = parseReply(buffer, offset);
        if (!parsed) return;
        offset = parsed.end;
      }
      clearTimeout(timer);
      socket.destroy();
      if (parsed!.value instanceof Error) reject(parsed!.value);
      else resolve(parsed!.value);
    });
    socket.connect(port, '127.0.0.1', () => {
      for (const command of commands) socket.write(`*${command.length}\r\n${command.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
  });
}

function parseReply(buffer: Buffer, offset: number): { value: unknown; end: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buffer[offset]);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  if (type === '+') return { value: line, end: lineEnd + 2 };
  if (type === '-') return { value: new Error(line), end: lineEnd + 2 };
  if (type === ':') return { value: Number(line), end: lineEnd + 2 };
  if (type === '$') {
    const length = Number(line);
    if (length < 0) return { value: null, end: lineEnd + 2 };
    if (buffer.length < lineEnd + 2 + length + 2) return undefined;
    return { value: buffer.toString('utf8', lineEnd + 2, lineEnd + 2 + length), end: lineEnd + 2 + length + 2 };
  }
  if (type === '*') {
    const count = Number(line);
    if (count < 0) return { value: null, end: lineEnd + 2 };
    const items: unknown[] = [];
    let end = lineEnd + 2;
    for (let i = 0; i < count; i++) {
      const item = parseReply(buffer, end);
      if (!item) return undefined;
      items.push(item.value);
      end = item.end;
    }
    return { value: items, end };
  }
  throw new Error(`unexpected RESP type ${type}`);
}
