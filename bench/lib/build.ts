import { execFile } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ProcessRegistry } from './processes.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CompiledService {
  /** The compiled entry point, what the container runs (`node dist/main.js`). */
  entry: string;
  remove(): void;
}

/**
 * Compiles src/ the way `npm run build` does (tsconfig.build.json), into a temporary directory so the
 * checkout's dist/ is left alone, with links to what the service reads from the project's root.
 */
export async function compileService(registry: ProcessRegistry): Promise<CompiledService> {
  const dir = registry.tempDir('netprobe-bench-build-');
  const remove = () => registry.removeDir(dir);
  const outDir = join(dir, 'dist');
  try {
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir, '--sourceMap', 'false'], {
      cwd: ROOT,
      timeout: 180_000,
    }).catch((err: { stdout?: string }) => {
      // Type errors still emit JavaScript; only a missing entry point is fatal.
      if (!existsSync(join(outDir, 'main.js'))) throw new Error(`tsc emitted no dist/main.js: ${err.stdout ?? err}`);
    });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    // What the service reads at run time from beside its package.json (PROJECT_ROOT): its dependencies, the
    // standard MIB set and the console's files. Without mibs/ the compiled build would start with no MIBs.
    for (const name of ['node_modules', 'mibs', 'console']) symlinkSync(join(ROOT, name), join(dir, name), 'dir');
  } catch (err) {
    remove();
    throw err;
  }
  return { entry: join(outDir, 'main.js'), remove };
}
