/**
 * Where idle RSS goes, per runtime: `npx node bench/tools/memory-breakdown.ts [runtime]...` (default: lts, then system; a
 * runtime is `lts`, `system` or a path, optionally with node options: 'lts --max-semi-space-size=1').
 * Starts the compiled build (the same JavaScript on every runtime, so the runtimes alone differ) and, for
 * scale, a bare `node` that only waits; IDLE_AFTER_MS after start it reads, inside the process, V8's heap
 * spaces and process.memoryUsage(), and from /proc, file-backed RSS (the node binary's pages) against
 * anonymous RSS (V8's heap, malloc, the rest), then the heap still alive after a full collection. Medians over
 * `--repeat` starts (default 3).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { compileService } from '../lib/build.ts';
import { sleep } from '../lib/ports.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startNetprobe } from '../lib/service.ts';
import { stat } from '../lib/stats.ts';
import { defaultRuntimes, parseRuntime } from '../run.ts';
import { SERVICE_NODE_FLAGS, type Runtime } from '../../scripts/runtime.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IDLE_AFTER_MS = 12_000;

/**
 * What the service imports from node_modules at start (ioredis, re2js and yaml are loaded on first use): a
 * process that only loads these, and trims its memory as the service does once ready (a memory-reducing
 * collection, glibc's malloc_trim through koffi, then the node binary's read-only pages unmapped as in
 * src/memory-trim.ts), is the floor for any service built on them.
 */
const LIBRARIES = ['@hono/node-server', '@hono/zod-openapi', 'asn1-ber', 'fastest-levenshtein', 'hono', 'koffi', 'net-snmp', 'pino', 'prom-client', 'zod'];
/** The libraries-only process's script; its last step is the service's own, from the compiled build. */
const librariesOnly = (compiledDir: string) => `for (const name of ${JSON.stringify(LIBRARIES)}) await import(name);
globalThis.gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
(await import('koffi')).default.load('libc.so.6').func('int malloc_trim(size_t pad)')(0);
(await import(${JSON.stringify(pathToFileURL(join(compiledDir, 'memory-trim.js')).href)})).releaseFilePages();
setTimeout(() => {}, 1e9);`;
const MB = 1024 * 1024;

/** Loaded with --import into the measured process (plain JavaScript: Node 20 runs it without tsx). */
const PRELOAD = `
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
setTimeout(() => {
  const spaces = {};
  for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = s.physical_space_size;
  const status = {};
  for (const m of readFileSync('/proc/self/status', 'utf8').matchAll(/^(\\w+):\\s+(\\d+) kB/gm)) status[m[1]] = Number(m[2]) * 1024;
  const report = { memory: process.memoryUsage(), spaces, code: v8.getHeapCodeStatistics(), status };
  // Then what is alive: the heap used after a full collection (which the figures above must not include).
  v8.setFlagsFromString('--expose-gc');
  vm.runInNewContext('gc')();
  report.liveHeap = process.memoryUsage().heapUsed;
  writeFileSync(process.env.MEMORY_REPORT_FILE, JSON.stringify(report));
}, Number(process.env.MEMORY_REPORT_AFTER_MS)).unref();
`;

interface Report {
  memory: NodeJS.MemoryUsage;
  spaces: Record<string, number>;
  code: { code_and_metadata_size: number; bytecode_and_metadata_size: number; external_script_source_size: number };
  status: Record<string, number>;
  liveHeap: number;
}

/** The rows of the table: a label and how to read it from a report, in MB. */
const ROWS: [string, (r: Report) => number][] = [
  ['RSS', (r) => r.status.VmRSS],
  ['  file-backed (the node binary, libraries)', (r) => r.status.RssFile],
  ['  anonymous', (r) => r.status.RssAnon],
  ['V8 heap, resident (all spaces)', (r) => Object.values(r.spaces).reduce((a, b) => a + b, 0)],
  ['  new space (young generation)', (r) => r.spaces.new_space ?? 0],
  ['  old space', (r) => r.spaces.old_space ?? 0],
  ['  code space', (r) => r.spaces.code_space ?? 0],
  ['  trusted spaces (bytecode, code metadata; new since Node 20)', (r) => spaces(r, (n) => n.includes('trusted'))],
  ['  large object spaces', (r) => spaces(r, (n) => n.includes('large_object') && !n.includes('trusted'))],
  ['V8 heap used', (r) => r.memory.heapUsed],
  ['  alive (used after a full collection)', (r) => r.liveHeap],
  ['  bytecode and metadata', (r) => r.code.bytecode_and_metadata_size],
  ['  machine code and metadata', (r) => r.code.code_and_metadata_size],
  ['external (Buffers, wasm, …)', (r) => r.memory.external],
  ['anonymous RSS outside the V8 heap (malloc, stacks, …)', (r) => r.status.RssAnon - Object.values(r.spaces).reduce((a, b) => a + b, 0)],
];

/** The resident size of the heap spaces whose names match. */
function spaces(report: Report, match: (name: string) => boolean): number {
  return Object.entries(report.spaces).filter(([name]) => match(name)).reduce((sum, [, bytes]) => sum + bytes, 0);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { repeat: { type: 'string', default: '3' } }, allowPositionals: true });
  const repeat = Number(values.repeat);
  const runtimes: Runtime[] = positionals.length ? positionals.map(parseRuntime) : defaultRuntimes();
  const registry = new ProcessRegistry();
  const uninstall = installCleanup(registry);
  try {
    const dir = registry.tempDir('netprobe-memory-');
    const preload = join(dir, 'preload.mjs');
    writeFileSync(preload, PRELOAD);
    const compiled = await compileService(registry);
    const columns: { title: string; reports: Report[] }[] = [];
    for (const runtime of runtimes) {
      const service: Report[] = [];
      const bare: Report[] = [];
      const libraries: Report[] = [];
      for (let i = 0; i < repeat; i++) {
        const file = join(dir, `report-${columns.length}-${i}.json`);
        const env = { MEMORY_REPORT_FILE: file, MEMORY_REPORT_AFTER_MS: String(IDLE_AFTER_MS) };
        const netprobe = await startNetprobe(registry, { runtime, entry: compiled.entry, nodeFlags: ['--import', preload], env });
        await sleep(IDLE_AFTER_MS + 1000);
        service.push(JSON.parse(readFileSync(file, 'utf8')) as Report);
        await netprobe.stop();

        const bareFile = join(dir, `bare-${columns.length}-${i}.json`);
        const child = registry.spawn(runtime.execPath, [...runtime.flags, '--import', preload, '-e', 'setTimeout(() => {}, 1e9)'], {
          env: { ...process.env, MEMORY_REPORT_FILE: bareFile, MEMORY_REPORT_AFTER_MS: String(IDLE_AFTER_MS) },
        });
        await sleep(IDLE_AFTER_MS + 1000);
        bare.push(JSON.parse(readFileSync(bareFile, 'utf8')) as Report);
        await registry.stop(child);

        const librariesFile = join(dir, `libraries-${columns.length}-${i}.json`);
        const importer = registry.spawn(runtime.execPath, [...SERVICE_NODE_FLAGS, ...runtime.flags, '--import', preload, '--input-type=module', '-e', librariesOnly(dirname(compiled.entry))], {
          cwd: ROOT,
          env: { ...process.env, MEMORY_REPORT_FILE: librariesFile, MEMORY_REPORT_AFTER_MS: String(IDLE_AFTER_MS) },
        });
        await sleep(IDLE_AFTER_MS + 1000);
        libraries.push(JSON.parse(readFileSync(librariesFile, 'utf8')) as Report);
        await registry.stop(importer);
        process.stderr.write(
          `${runtime.name} run ${i + 1}: netprobe ${(service[i].status.VmRSS / MB).toFixed(1)} MB, bare node ${(bare[i].status.VmRSS / MB).toFixed(1)} MB, its libraries only ${(libraries[i].status.VmRSS / MB).toFixed(1)} MB\n`,
        );
      }
      columns.push(
        { title: `${runtime.name}, netprobe`, reports: service },
        { title: `${runtime.name}, bare node`, reports: bare },
        { title: `${runtime.name}, the libraries only`, reports: libraries },
      );
    }
    compiled.remove();
    const lines = [`| MB, ${IDLE_AFTER_MS / 1000} s after start (median of ${repeat}) | ${columns.map((c) => c.title).join(' | ')} |`, `| --- |${columns.map(() => ' --- |').join('')}`];
    for (const [label, read] of ROWS) {
      lines.push(`| ${label} | ${columns.map((c) => (stat(c.reports.map(read)).median / MB).toFixed(1)).join(' | ')} |`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await registry.stopAll();
    uninstall();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`memory-breakdown: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
