import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeFlags?: string[];
  /** A compiled entry point (see compileService) instead of `--import tsx src/main.ts`. */
  entry?: string;
  timeoutMs?: number;
}

/** Starts the real service (`src/main.ts`) on loopback with ephemeral ports and waits for /readyz 200. */
export async function startNetprobe(registry: ProcessRegistry, options: StartOptions = {}): Promise<Netprobe> {
  // Ports are chosen here rather than read from the log, so the service can run at LOG_LEVEL=warn
  // (per-request info lines would cost the service time in every throughput scenario).
  const port = await freeTcpPort();
  const trapPort = await freeUdpPort();
  const started = performance.now();
  const entry = options.entry ? [options.entry] : ['--import', 'tsx', 'src/main.ts'];
  const child = registry.spawn(process.execPath, [...(options.nodeFlags ?? []), ...entry], {
    cwd: ROOT,
    env: {
      ...process.env,
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
