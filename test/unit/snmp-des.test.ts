import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('DES without --openssl-legacy-provider', () => {
  it('a fresh node process (as `npm start` runs it) gets des-cbc after ensureDesSupport()', () => {
    const script = `
      import { createCipheriv } from 'node:crypto';
      import { ensureDesSupport } from './src/snmp/des.ts';
      let before = 'available';
      try { createCipheriv('des-cbc', Buffer.alloc(8), Buffer.alloc(8)); } catch { before = 'refused'; }
      const how = ensureDesSupport();
      const c = createCipheriv('des-cbc', Buffer.from('0123456789abcdef', 'hex'), Buffer.from('1122334455667788', 'hex'));
      c.setAutoPadding(false);
      const out = Buffer.concat([c.update(Buffer.from('the quick brown fox jumps over!!')), c.final()]).toString('hex');
      console.log(JSON.stringify({ before, how, out }));
    `;
    const env = { ...process.env, NODE_OPTIONS: '' };
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env, encoding: 'utf8' });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(['legacy-provider-loaded', 'native']).toContain(result.how);
    if (result.before === 'refused') expect(result.how).toBe('legacy-provider-loaded');
    // Standard DES-CBC (FIPS 81) output, as `openssl enc -des-cbc -provider legacy` gives.
    expect(result.out).toBe('c17d41f117c3b710bc3bf4a26cacac4c5006fc62f8874f32f6c7fb1063b2c673');
  });
});
