// The suite runs on the production runtime: the Node.js LTS binary that package.json pins (npm registry),
// which `npm test` puts first on PATH. `npm run test:system-node` runs it on the machine's own Node instead.
import { readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPILE_CACHE_DIR, ltsBinary, ltsPackage, SERVICE_NODE_FLAGS } from '../../scripts/runtime.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
  optionalDependencies: Record<string, string>;
};
const SYSTEM_NODE = process.env.NETPROBE_TEST_RUNTIME === 'system';
const pinned = Object.entries(pkg.optionalDependencies).filter(([name]) => /^node-(linux|darwin|win32)-/.test(name));
const version = pinned[0]?.[1] ?? '';

describe('runtime', () => {
  it('pins one Node.js version for every platform binary', () => {
    expect(pinned.length).toBeGreaterThan(0);
    expect(new Set(pinned.map(([, v]) => v))).toEqual(new Set([version]));
    expect(version).toMatch(/^\d+\.\d+\.\d+$/); // exact: the lockfile and the image agree on one build
  });

  it.skipIf(SYSTEM_NODE)('runs this suite on the pinned LTS binary, not on the machine’s node', () => {
    expect(ltsPackage()?.version).toBe(version);
    const binary = ltsBinary();
    expect(binary, 'npm ci installs node_modules/node-<platform>-<arch>').toBeDefined();
    expect(realpathSync(process.execPath)).toBe(realpathSync(binary!));
    expect(process.version).toBe(`v${version}`);
    expect(process.release.lts, 'an LTS release line').toBeTruthy();
    expect(process.features.typescript, 'Node strips types itself').toBe('strip');
  });

  it('builds the container on the same Node.js version, and runs src/main.ts there', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toBe(`node:${version}-slim`);
    expect(dockerfile).toMatch(/^CMD \[.*\]$/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
    expect(cmd).toEqual(['node', ...SERVICE_NODE_FLAGS, 'src/main.ts']);
  });

  it('reports netprobe on each runtime in the README’s Performance table, production’s first', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const performance = readme.slice(readme.indexOf('\n## Performance'), readme.indexOf('\n## ', readme.indexOf('\n## Performance') + 1));
    const header = performance.split('\n').find((line) => line.startsWith('| Scenario |')) ?? '';
    const columns = [...header.matchAll(/\| netprobe, Node (\d+\.\d+\.\d+) /g)].map((m) => m[1]);
    expect(columns[0], 'the pinned LTS, first').toBe(version);
    expect(columns.length, 'a column per runtime').toBeGreaterThanOrEqual(2);
    const results = JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8')) as { runtimes?: { version: string }[] };
    expect(results.runtimes?.map((r) => r.version)).toEqual(columns);
  });

  it('declares the LTS in engines, and npm start runs what the container runs', () => {
    const [major] = version.split('.');
    expect(pkg.engines.node).toMatch(new RegExp(`^>=${major}\\.\\d+\\.\\d+$`));
    const lowest = pkg.engines.node.slice(2).split('.').map(Number);
    const current = version.split('.').map(Number);
    expect(lowest[1] * 1000 + lowest[2]).toBeLessThanOrEqual(current[1] * 1000 + current[2]);
    expect(pkg.scripts.start).toBe(`NODE_COMPILE_CACHE=${relative(ROOT, COMPILE_CACHE_DIR)} node ${[...SERVICE_NODE_FLAGS, 'src/main.ts'].join(' ')}`);
  });
});
