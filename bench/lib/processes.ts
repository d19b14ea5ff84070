import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every process the benchmark starts goes through here, so that one call (or the process exiting,
 * failing, or Ctrl-C) kills them all. Processes are killed by their own pid, never by name.
 */
export class ProcessRegistry {
  private readonly children = new Set<ChildProcess>();
  private readonly dirs = new Set<string>();

  /** A temporary directory removed with the processes (stopAll, or on exit and Ctrl-C). */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.add(dir);
    return dir;
  }

  removeDir(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    this.dirs.delete(dir);
  }

  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn(command, args, { stdio: 'ignore', ...options });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    child.once('error', () => this.children.delete(child));
    return child;
  }

  /** SIGTERM, then SIGKILL after graceMs; resolves when the child is gone. */
  async stop(child: ChildProcess, graceMs = 2000): Promise<void> {
    if (!isRunning(child)) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => isRunning(child) && child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(killer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((child) => this.stop(child)));
    for (const dir of this.dirs) this.removeDir(dir);
  }

  /** Synchronous last resort for process 'exit' handlers. */
  killAllNow(): void {
    for (const child of this.children) if (isRunning(child)) child.kill('SIGKILL');
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Kills what the registry started on exit, Ctrl-C, SIGTERM and crashes. Returns the uninstaller. */
export function installCleanup(registry: ProcessRegistry): () => void {
  const onExit = () => registry.killAllNow();
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nbench: ${signal}, stopping every peer it started\n`);
    registry.killAllNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Collects a child's output (bounded) for error messages. */
export function captureOutput(child: ChildProcess, limit = 64 * 1024): () => string {
  let text = '';
  const append = (chunk: Buffer) => {
    if (text.length < limit) text += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => text;
}
