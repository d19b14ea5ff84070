import { describe, expect, it } from 'vitest';
import { normalizeAddress, parseLooseIPv4, parseRule, TargetPolicy } from '../../src/net/policy.ts';

describe('normalizeAddress', () => {
  it.each([
    ['169.254.169.254', '169.254.169.254', 4],
    ['0xA9FEA9FE', '169.254.169.254', 4],
    ['2852039166', '169.254.169.254', 4],
    ['0251.0376.0251.0376', '169.254.169.254', 4],
    ['169.254.43518', '169.254.169.254', 4],
    ['0xa9.0xfe.0xa9.0xfe', '169.254.169.254', 4],
    ['::ffff:169.254.169.254', '169.254.169.254', 4],
    ['::ffff:a9fe:a9fe', '169.254.169.254', 4],
    ['[::ffff:169.254.169.254]', '169.254.169.254', 4],
    ['0:0:0:0:0:ffff:a9fe:a9fe', '169.254.169.254', 4],
    ['::169.254.169.254', '169.254.169.254', 4],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1', 6],
    ['::1', '0:0:0:0:0:0:0:1', 6],
    ['2001:DB8::1', '2001:db8:0:0:0:0:0:1', 6],
  ])('%s → %s', (input, address, family) => {
    expect(normalizeAddress(input)).toMatchObject({ address, family });
  });

  it.each(['example.com', '256.1.1.1', '1.2.3.4.5', '08.1.1.1', '', '1..2', '0x1g'])('%s is not an address', (input) => {
    expect(normalizeAddress(input)).toBeUndefined();
  });

  it('decodes short forms like inet_aton', () => {
    expect(parseLooseIPv4('127.1')).toBe('127.0.0.1');
    expect(parseLooseIPv4('0')).toBe('0.0.0.0');
    expect(parseLooseIPv4('10.1.65535')).toBe('10.1.255.255');
  });
});

describe('TargetPolicy', () => {
  const policy = new TargetPolicy({ ownPorts: [8080, 1162] });

  it('denies link-local and cloud metadata in every spelling, naming the rule', () => {
    for (const spelling of ['169.254.169.254', '::ffff:169.254.169.254', '0xA9FEA9FE', '2852039166', 'fe80::1']) {
      const decision = policy.check(spelling, 80);
      expect(decision.allowed, spelling).toBe(false);
      if (!decision.allowed) expect(decision.rule).toMatch(/^default (169\.254\.0\.0\/16|fe80::\/10)$/);
    }
  });

  it("denies the service's own ports on loopback, but not other loopback ports", () => {
    expect(policy.check('127.0.0.1', 8080)).toMatchObject({ allowed: false, rule: 'default 127.0.0.0/8@8080+1162' });
    expect(policy.check('127.9.9.9', 1162).allowed).toBe(false);
    expect(policy.check('::1', 8080).allowed).toBe(false);
    expect(policy.check('0.0.0.0', 8080).allowed).toBe(false);
    expect(policy.check('127.0.0.1', 161).allowed).toBe(true);
    expect(policy.check('10.1.2.3', 8080).allowed).toBe(true);
  });

  it('applies TARGET_DENY with port ranges and TARGET_ALLOW as an allowlist', () => {
    const p = new TargetPolicy({ deny: ['10.9.0.0/16', '10.0.0.0/8@22'], allow: ['10.0.0.0/8', '2001:db8::/32@161-162'] });
    expect(p.check('10.9.1.1', 161)).toMatchObject({ allowed: false, rule: 'TARGET_DENY 10.9.0.0/16' });
    expect(p.check('10.1.1.1', 22)).toMatchObject({ allowed: false, rule: 'TARGET_DENY 10.0.0.0/8@22' });
    expect(p.check('10.1.1.1', 161).allowed).toBe(true);
    expect(p.check('192.0.2.1', 161)).toMatchObject({ allowed: false, rule: 'TARGET_ALLOW' });
    expect(p.check('2001:db8::5', 161).allowed).toBe(true);
    expect(p.check('2001:db8::5', 80).allowed).toBe(false);
  });

  it('matches prefixes that do not fall on word boundaries', () => {
    const p = new TargetPolicy({ denyLinkLocal: false, deny: ['172.16.0.0/12', 'fe80::/10', '192.0.2.128/25', '0.0.0.0/0@9'] });
    expect(p.check('172.31.255.255', 80).allowed).toBe(false);
    expect(p.check('172.32.0.0', 80).allowed).toBe(true);
    expect(p.check('172.15.255.255', 80).allowed).toBe(true);
    expect(p.check('febf::1', 80).allowed).toBe(false);
    expect(p.check('fec0::1', 80).allowed).toBe(true);
    expect(p.check('192.0.2.129', 80).allowed).toBe(false);
    expect(p.check('192.0.2.127', 80).allowed).toBe(true);
    expect(p.check('198.51.100.7', 9).allowed).toBe(false);
    expect(p.check('198.51.100.7', 10).allowed).toBe(true);
  });

  it('rejects malformed rules with a message naming them', () => {
    expect(() => parseRule('10.0.0.0/33', 'TARGET_DENY')).toThrow(/10\.0\.0\.0\/33.*prefix/);
    expect(() => parseRule('nothing', 'TARGET_DENY')).toThrow(/nothing/);
    expect(() => parseRule('10.0.0.0/8@0-70000', 'TARGET_DENY')).toThrow(/port/);
  });
});
