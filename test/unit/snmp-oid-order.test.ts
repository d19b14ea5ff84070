import { describe, expect, it } from 'vitest';
import { compareOids, inSubtree } from '../../src/snmp/walk.ts';

/** The obvious definition, to check the in-place scan against. */
function reference(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return Math.sign(x.length - y.length);
}

describe('compareOids', () => {
  it('orders arc by arc, numerically', () => {
    expect(compareOids('1.3.6.1.2.1.2', '1.3.6.1.2.1.10')).toBe(-1);
    expect(compareOids('1.3.6.1.2.1.10', '1.3.6.1.2.1.2')).toBe(1);
    expect(compareOids('1.3.6.1', '1.3.6.1.0')).toBe(-1);
    expect(compareOids('1.3.6.1.0', '1.3.6.1')).toBe(1);
    expect(compareOids('1.3.6.1.4.1.99', '1.3.6.1.4.1.99')).toBe(0);
    expect(compareOids('1.3.6.1.4.1.100', '1.3.6.1.4.1.99.5')).toBe(1);
  });

  it('agrees with the split-and-compare definition on random OIDs', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const oid = () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => String(Math.floor(random() ** 3 * 300))).join('.');
    for (let n = 0; n < 20_000; n++) {
      const a = oid();
      const b = random() < 0.3 ? `${a}.${oid()}` : oid();
      expect(compareOids(a, b), `${a} vs ${b}`).toBe(reference(a, b));
      expect(compareOids(b, a), `${b} vs ${a}`).toBe(reference(b, a));
    }
  });

  it('inSubtree is on whole arcs', () => {
    expect(inSubtree('1.3.6.1.2.1.2', '1.3.6.1.2.1.2.1.0')).toBe(true);
    expect(inSubtree('1.3.6.1.2.1.2', '1.3.6.1.2.1.25.1.0')).toBe(false);
    expect(inSubtree('1.3.6.1.2.1.2', '1.3.6.1.2.1.2')).toBe(false);
  });
});
