import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { currentRuntime, serviceCommand, type Runtime } from '../../scripts/runtime.ts';
import { freeTcpPort, freeUdpPort, sleep } from './ports.ts';
import { captureOutput, type ProcessRegistry } from './processes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Netprobe {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  port: number;
  trapPort: number;
  /** Milliseconds from spawn to the first /readyz 200. */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** The Node.js to run it on, with its flags (default: the one running this process). */
  runtime?: Runtime;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeFlags?: string[];
  /** A compiled entry point (see compileService) instead of `src/main.ts` as `npm start` runs it. */
  entry?: string;
  /** Fixed ports (e.g. one shared with HTTP_REUSE_PORT); free ephemeral ones by default. */
  port?: number;
  trapPort?: number;
  timeoutMs?: number;
}

/**
 * Starts the real service on loopback with ephemeral ports and waits for /readyz 200: `src/main.ts` as
 * `npm start` runs it (type stripping with a compile cache; tsx on a Node that cannot strip types).
 */
export async function startNetprobe(registry: ProcessRegistry, options: StartOptions = {}): Promise<Netprobe> {
  // Ports are chosen here rather than read from the log, so the service can run at LOG_LEVEL=warn
  // (per-request info lines would cost the service time in every throughput scenario).
  const port = options.port ?? (await freeTcpPort());
  const trapPort = options.trapPort ?? (await freeUdpPort());
  const started = performance.now();
  const runtime = options.runtime ?? currentRuntime();
  const command = serviceCommand(runtime, options.entry);
  const child = registry.spawn(runtime.execPath, [...(options.nodeFlags ?? []), ...command.args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...command.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TRAP_PORT: String(trapPort),
      TRAP_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child, 16 * 1024);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitReady(baseUrl, child, output, options.timeoutMs ?? 20_000);
  const readyMs = performance.now() - started;
  return {
    child,
    pid: child.pid!,
    baseUrl,
    port,
    trapPort,
    readyMs,
    output,
    stop: () => registry.stop(child, 5000),
  };
}

async function waitReady(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`netprobe exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(5);
  }
  throw new Error(`netprobe /readyz not 200 after ${timeoutMs} ms (last: ${last})`);
}

/** The API paths the running service serves, from its OpenAPI document. */
export async function servedPaths(baseUrl: string): Promise<Set<string>> {
  const res = await fetch(`${baseUrl}/openapi.json`);
  const doc = (await res.json()) as { paths?: Record<string, unknown> };
  return new Set(Object.keys(doc.paths ?? {}));
}
