import { fileURLToPath } from 'node:url';
import { currentRuntime, tsCommand } from '../../scripts/runtime.ts';
import { captureOutput, type ProcessRegistry } from './processes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a TypeScript helper of bench/peers in its own Node process and parses the JSON line it prints. */
export async function runNodeHelper<T>(registry: ProcessRegistry, script: string, args: string[], timeoutMs = 120_000): Promise<T> {
  const command = tsCommand(currentRuntime(), script);
  const child = registry.spawn(process.execPath, [...command.args, ...args], { cwd: ROOT, env: { ...process.env, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const output = captureOutput(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${script} exited with ${code}: ${output()}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** Runs any command and returns its wall time in ms, process start included. */
export async function timeCommand(registry: ProcessRegistry, command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  const child = registry.spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  const output = captureOutput(child);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${command} exited with ${code}: ${output()}`);
  return { ms, stdout: Buffer.concat(chunks).toString('utf8') };
}
