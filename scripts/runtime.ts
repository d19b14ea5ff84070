// The Node.js runtimes netprobe runs on. Production runs the LTS that package.json pins as the
// `node-<platform>-<arch>` optional dependencies: official Node.js binaries from the npm registry, which
// `npm ci` installs as node_modules/.bin/node, so every npm script (start, test, bench) runs on it. The
// container's base image is the same version (test/unit/runtime.test.ts checks that they agree).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Node's compile cache for `npm start`, the tests and the bench (the container has its own, filled at build). */
export const COMPILE_CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'node-compile-cache');

export interface Runtime {
  /** How reports name it, e.g. `Node 24.22.3`. */
  name: string;
  execPath: string;
  /** e.g. `24.22.3`. */
  version: string;
  /** Runs .ts files itself (type stripping: Node ≥ 22.18); tsx does it for older ones (Node 20). */
  stripsTypes: boolean;
  /** Node options this runtime is started with (e.g. a V8 flag under measurement). */
  flags: string[];
}

/** The pinned LTS binary's package for this platform and its version, as package.json declares them. */
export function ltsPackage(): { name: string; version: string } | undefined {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };
  const name = `node-${process.platform}-${process.arch}`;
  const version = pkg.optionalDependencies?.[name];
  return version ? { name, version } : undefined;
}

/** The pinned LTS binary, when npm installed it (it does on the platforms package.json lists). */
export function ltsBinary(): string | undefined {
  const lts = ltsPackage();
  const path = lts && join(ROOT, 'node_modules', lts.name, 'bin', 'node');
  return path && existsSync(path) ? path : undefined;
}

/** The machine's own node: the first on PATH outside node_modules (npm scripts put the pinned one first). */
export function systemNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.split(sep).includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Asks a node binary what it is. */
export function describeRuntime(execPath: string, flags: string[] = []): Runtime {
  const probe = 'process.stdout.write(JSON.stringify([process.versions.node, Boolean(process.features.typescript)]))';
  const [version, stripsTypes] = JSON.parse(execFileSync(execPath, ['-e', probe], { encoding: 'utf8' })) as [string, boolean];
  return { name: [`Node ${version}`, ...flags].join(' '), execPath, version, stripsTypes, flags };
}

/** The runtime running this process. */
export function currentRuntime(): Runtime {
  return { name: `Node ${process.versions.node}`, execPath: process.execPath, version: process.versions.node, stripsTypes: Boolean(process.features.typescript), flags: [] };
}

/**
 * Node options netprobe runs with, in production (npm start, the container) and wherever the tests and the
 * bench start it. `--max-semi-space-size=16` keeps the young generation at Node 20's size: Node 24's V8 lets
 * it grow to twice that (semi-spaces of 32 MB), and a trap flood then peaked at 300 MiB of RSS instead of
 * about 210, with more traps lost to the socket (README, Runtime). test/unit/runtime.test.ts checks that
 * package.json's start script and the Dockerfile pass them.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--expose-gc'];

/**
 * Node arguments that start netprobe on a runtime: the service's own Node options, the runtime's (a bench
 * variant's come later, so they win), then src/main.ts as `npm start` runs it, or a compiled entry point.
 */
export function serviceCommand(runtime: Pick<Runtime, 'stripsTypes' | 'flags'>, compiledEntry?: string): { args: string[]; env: Record<string, string> } {
  const command = compiledEntry ? { args: [...runtime.flags, compiledEntry], env: {} } : tsCommand(runtime, 'src/main.ts');
  return { args: [...SERVICE_NODE_FLAGS, ...command.args], env: command.env };
}

/**
 * Node arguments that run a TypeScript file (and its environment): as `npm start` and the container do,
 * the file itself, stripped of its types by Node, with a compile cache; through tsx where Node cannot.
 */
export function tsCommand(runtime: Pick<Runtime, 'stripsTypes' | 'flags'>, file: string): { args: string[]; env: Record<string, string> } {
  if (!runtime.stripsTypes) return { args: [...runtime.flags, '--import', 'tsx', file], env: {} };
  return { args: [...runtime.flags, file], env: { NODE_COMPILE_CACHE: COMPILE_CACHE_DIR } };
}
