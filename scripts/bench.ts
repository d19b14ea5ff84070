// `npm run bench`: netprobe against the tools users would pick instead, on loopback, in one run.
// Prints a markdown table and writes bench/results.json. See bench/README.md.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installCleanup, ProcessRegistry } from '../bench/lib/processes.ts';
import { markdownReport, writeJson } from '../bench/lib/report.ts';
import { DEFAULT_REPEAT, defaultRuntimes, parseRuntime, runBench, SCENARIOS } from '../bench/run.ts';

const USAGE = `Usage: npm run bench -- [--scenario <name>]... [--runtime <node>]... [--quick] [--repeat N] [--no-write]

  --scenario <name>  run only this scenario (repeatable): ${SCENARIOS.map((s) => s.name).join(', ')}
  --runtime <node>   run netprobe on this Node.js (repeatable; the first is judged against the targets):
                     lts (the pinned binary, production's), system (the machine's own node) or a path,
                     optionally with node options: --runtime 'lts --max-semi-space-size=32'
                     (default: lts, then system when it is another version)
  --quick            tiny sizes, one repetition (a smoke run; its figures mean nothing)
  --repeat N         repetitions per scenario for the median and spread (default ${DEFAULT_REPEAT})
  --no-write         do not write bench/results.json
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', multiple: true },
      runtime: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      repeat: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const repeat = values.repeat === undefined ? DEFAULT_REPEAT : Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat must be a positive integer');

  const registry = new ProcessRegistry();
  const uninstall = installCleanup(registry);
  try {
    const report = await runBench({
      scenarios: values.scenario ?? [],
      quick: values.quick,
      repeat,
      runtimes: values.runtime ? values.runtime.map(parseRuntime) : defaultRuntimes(),
      registry,
      command: process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench',
    });
    process.stdout.write(`${markdownReport(report)}\n`);
    if (!values['no-write']) {
      const path = fileURLToPath(new URL('../bench/results.json', import.meta.url));
      writeJson(path, report);
      process.stderr.write(`wrote ${path}\n`);
    }
    return report.skipped.some((s) => s.reason.startsWith('failed')) ? 1 : 0;
  } finally {
    await registry.stopAll();
    uninstall();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  },
);
