import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BUNDLED_MIB_DIR, MibResolver } from '../../src/snmp/mib.ts';

/**
 * The standard MIB set shipped in mibs/: every module loads (or is listed here with the reason it cannot),
 * and every name resolves to the OID Net-SNMP's own snmptranslate gives for the same files.
 */

/** Modules of mibs/ that do not load, with the reason. None today; a module added later that cannot load must be listed. */
const UNLOADABLE: Record<string, string> = {};

const run = promisify(execFile);
const mib = MibResolver.create({ mibDirs: [] });

describe('the bundled MIB set (mibs/)', () => {
  it('ships the licence beside the modules', () => {
    expect(readdirSync(BUNDLED_MIB_DIR)).toEqual(expect.arrayContaining(['COPYING.net-snmp', 'README.md']));
    expect(BUNDLED_MIB_DIR).toBe(fileURLToPath(new URL('../../mibs', import.meta.url)));
  });

  it('loads every module, but for the ones listed with their reason', () => {
    const files = readdirSync(BUNDLED_MIB_DIR).filter((file) => file.endsWith('.txt'));
    expect(files).toHaveLength(78);
    const loaded = new Set(mib.modules);
    const notLoaded = files.map((file) => file.replace(/\.txt$/, '')).filter((module) => !loaded.has(module));
    expect(notLoaded.sort()).toEqual(Object.keys(UNLOADABLE).sort());
    expect(mib.skipped).toEqual([]);
    expect(mib.moduleInfo().every((m) => m.source === 'bundled' && m.problems.length === 0)).toBe(true);
  });

  it('every name snmptranslate -Tz knows has its OID here (by its module, where two modules share a name)', async () => {
    const { stdout } = await run('snmptranslate', ['-M', BUNDLED_MIB_DIR, '-m', 'ALL', '-Tz'], { env: { ...process.env, SNMPCONFPATH: '/nonexistent' }, maxBuffer: 16 * 1024 * 1024 });
    const labels = [...stdout.matchAll(/^"([^"]+)"\s+"([\d.]+)"/gm)].map((m) => [m[1], m[2]] as const);
    expect(labels.length).toBeGreaterThan(3000);
    const mismatched: string[] = [];
    for (const [label, oid] of labels) {
      if (mib.toNumeric(label) === oid) continue;
      // A bare name two modules define: net-snmp's pick may be the other module; that module's name must still give the OID.
      const qualified = mib.moduleInfo().some((m) => mib.node(`${m.name}::${label}`)?.oid === oid);
      if (!qualified) mismatched.push(`${label} ${oid} ${mib.toNumeric(label)}`);
    }
    expect(mismatched).toEqual([]);
  });
});
