import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { currentRuntime, serviceCommand } from '../../scripts/runtime.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `node src/main.ts` as `npm start` and the container run it (through tsx on a Node that cannot strip types). */
const SERVICE = serviceCommand(currentRuntime());

export interface RunningService {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  logs: string[];
  stderr: string[];
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the real service (`src/main.ts`) on an ephemeral port and waits until it listens; `launcher` runs node (e.g. setpriv). */
export async function startService(env: Record<string, string> = {}, timeoutMs = 15_000, launcher: string[] = []): Promise<RunningService> {
  // A launcher runs node for us, e.g. setpriv to start it without a capability.
  const [command, ...args] = [...launcher, process.execPath, ...SERVICE.args];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...SERVICE.env, PORT: '0', HOST: '127.0.0.1', TRAP_PORT: '0', TRAP_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr!.on('data', (d) => stderr.push(String(d)));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start (no "http listening" log line at info level): ${stderr.join('')}`));
    }, timeoutMs);
    let buffered = '';
    child.stdout!.on('data', (d) => {
      buffered += String(d);
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        logs.push(line);
        const match = /"msg":"http listening"/.test(line) && /"port":(\d+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}: ${stderr.join('')}`));
    });
  });

  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the service expecting it to exit (e.g. on invalid config); resolves with code and stderr. */
export function runServiceToExit(env: Record<string, string>, timeoutMs = 15_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, SERVICE.args, {
      cwd: ROOT,
      env: { ...process.env, ...SERVICE.env, PORT: '0', HOST: '127.0.0.1', TRAP_PORT: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('service did not exit'));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
