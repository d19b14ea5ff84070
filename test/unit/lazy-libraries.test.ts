import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { currentRuntime, tsCommand } from '../../scripts/runtime.ts';

describe('libraries loaded at start', () => {
  it('leaves out those only some settings need: ioredis (REDIS_URL), re2js (expect patterns), yaml (a YAML CONFIG_FILE), koffi', () => {
    const command = tsCommand(currentRuntime(), 'test/helpers/loaded-libraries.ts');
    const output = execFileSync(process.execPath, command.args, { env: { ...process.env, ...command.env }, encoding: 'utf8', timeout: 60_000 });
    const packages = JSON.parse(output.trim().split('\n').pop()!) as string[];
    expect(packages).toContain('net-snmp'); // the probe sees CommonJS packages loaded through import
    for (const lazy of ['ioredis', 're2js', 'yaml', 'koffi']) expect(packages).not.toContain(lazy);
  });
});
