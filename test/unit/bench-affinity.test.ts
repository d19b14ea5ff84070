import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';

describe('bench affinity', () => {
  // The per-core GET pins the bench itself to one CPU and then unpins it; children inherit the pin, so an
  // unpin to the wrong list would hold every later scenario (and the services it starts) to one CPU.
  it.runIf(cpus().length > 1)('unpins to every CPU of the machine even while pinned to one', () => {
    const script = "import('./bench/lib/affinity.ts').then((m) => process.stdout.write(m.allCpus()))";
    const out = execFileSync('taskset', ['-c', '0', process.execPath, '-e', script], { encoding: 'utf8' });
    expect(out).toBe(`0-${cpus().length - 1}`);
  });
});
