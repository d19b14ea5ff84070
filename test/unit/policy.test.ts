import { describe, expect, it, vi } from 'vitest';
import { AdapterError } from '../../src/errors.ts';
import { normalizeAddress, parseLooseIPv4 } from '../../src/net/address.ts';
import { LOCAL_ADDRESSES_TTL_MS, parseRule, TargetPolicy } from '../../src/net/policy.ts';
import { TargetResolver, type AddressLookup } from '../../src/net/resolve.ts';

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

/** This host as the tests pretend it is: no traffic is sent, so the addresses need not exist. */
const OWN_ADDRESSES = ['127.0.0.1', '::1', '10.20.30.40', 'fd00::2', 'fe80::abcd'];
const noOwnAddresses = () => [];

const UNSPECIFIED_V4 = ['0.0.0.0', '0', '0x0', '00', '0.0', '0.0.0', '::ffff:0.0.0.0', '::ffff:0:0', '[::ffff:0.0.0.0]', '[0.0.0.0]'];
const UNSPECIFIED_V6 = ['::', '[::]', '::0', '0:0:0:0:0:0:0:0', '[0:0:0:0:0:0:0:0]', '::%lo'];

describe('the unspecified address is checked as the loopback address it reaches', () => {
  const policy = new TargetPolicy({ deny: ['127.0.0.0/8', '::1/128'], localAddresses: noOwnAddresses });

  it.each(UNSPECIFIED_V4)('%s is refused by a 127.0.0.0/8 deny rule', (spelling) => {
    const decision = policy.check(spelling, 80);
    expect(decision).toMatchObject({ allowed: false, rule: 'TARGET_DENY 127.0.0.0/8' });
    if (!decision.allowed) expect(decision.reason).toBe('0.0.0.0 reaches 127.0.0.1, and 127.0.0.1 matches deny rule 127.0.0.0/8');
  });

  it.each(UNSPECIFIED_V6)('%s is refused by a ::1/128 deny rule', (spelling) => {
    expect(policy.check(spelling, 80)).toMatchObject({ allowed: false, rule: 'TARGET_DENY ::1/128' });
  });

  it("is refused on the service's own ports, and allowed wherever loopback is", () => {
    const own = new TargetPolicy({ ownPorts: [8080], localAddresses: noOwnAddresses });
    expect(own.check('0.0.0.0', 8080)).toMatchObject({ allowed: false, rule: 'default 127.0.0.0/8@8080' });
    expect(own.check('::', 8080)).toMatchObject({ allowed: false, rule: 'default ::1/128@8080' });
    expect(own.check('0.0.0.0', 161).allowed).toBe(true);
    const loopbackOnly = new TargetPolicy({ allow: ['127.0.0.0/8'], localAddresses: noOwnAddresses });
    expect(loopbackOnly.check('0', 161).allowed).toBe(true);
    expect(loopbackOnly.check('::', 161)).toMatchObject({ allowed: false, rule: 'TARGET_ALLOW' });
  });

  it('other 0.x addresses are not the unspecified address', () => {
    expect(policy.check('0.0.0.1', 80).allowed).toBe(true);
    expect(policy.check('::2', 80).allowed).toBe(true);
  });
});

describe("this host's own interface addresses are checked as themselves and as loopback", () => {
  const withOwn = (options: ConstructorParameters<typeof TargetPolicy>[0]) => new TargetPolicy({ localAddresses: () => OWN_ADDRESSES, ...options });

  it('an own address in any spelling is refused when loopback is denied; a neighbour is not', () => {
    const policy = withOwn({ deny: ['127.0.0.0/8', '::1/128'] });
    for (const spelling of ['10.20.30.40', '::ffff:10.20.30.40', '0x0A141E28', '10.20.7720']) {
      const decision = policy.check(spelling, 80);
      expect(decision, spelling).toMatchObject({ allowed: false, rule: 'TARGET_DENY 127.0.0.0/8' });
      if (!decision.allowed) expect(decision.reason).toMatch(/^10\.20\.30\.40 is an address of this host .* as 127\.0\.0\.1 does/);
    }
    expect(policy.check('fd00::2', 80)).toMatchObject({ allowed: false, rule: 'TARGET_DENY ::1/128' });
    expect(policy.check('[fe80::abcd%eth0]', 80)).toMatchObject({ allowed: false, rule: 'default fe80::/10' });
    expect(policy.check('10.20.30.41', 80).allowed).toBe(true);
    expect(policy.check('fd00::3', 80).allowed).toBe(true);
  });

  it('a rule on the address itself is reported first', () => {
    expect(withOwn({ deny: ['10.0.0.0/8', '127.0.0.0/8'] }).check('10.20.30.40', 80)).toMatchObject({ rule: 'TARGET_DENY 10.0.0.0/8' });
  });

  it("the service's own ports are refused on its own addresses too", () => {
    const policy = withOwn({ ownPorts: [8080] });
    expect(policy.check('10.20.30.40', 8080)).toMatchObject({ allowed: false, rule: 'default 127.0.0.0/8@8080' });
    expect(policy.check('fd00::2', 8080)).toMatchObject({ allowed: false, rule: 'default ::1/128@8080' });
    expect(policy.check('10.20.30.40', 161).allowed).toBe(true);
  });

  it('under TARGET_ALLOW an own address passes only when loopback is allowed as well', () => {
    expect(withOwn({ allow: ['10.0.0.0/8'] }).check('10.20.30.40', 161)).toMatchObject({ allowed: false, rule: 'TARGET_ALLOW' });
    expect(withOwn({ allow: ['10.0.0.0/8', '127.0.0.1/32'] }).check('10.20.30.40', 161).allowed).toBe(true);
  });

  it('reads the interface list at most once per LOCAL_ADDRESSES_TTL_MS', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      let reads = 0;
      const interfaces = ['10.20.30.40'];
      const policy = new TargetPolicy({ deny: ['127.0.0.0/8'], localAddresses: () => (reads++, interfaces) });
      for (let i = 0; i < 1000; i++) policy.check(`10.20.${i % 200}.40`, 80);
      expect(reads).toBe(1);
      interfaces.push('10.20.30.41');
      expect(policy.check('10.20.30.41', 80).allowed).toBe(true);
      vi.advanceTimersByTime(LOCAL_ADDRESSES_TTL_MS);
      expect(policy.check('10.20.30.41', 80).allowed).toBe(false);
      expect(reads).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('TargetResolver', () => {
  const subsystem = 'probe' as const;
  const lookupOf =
    (table: Record<string, { address: string; family: number }[]>): AddressLookup =>
    async (name) => {
      if (!(name in table)) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return table[name];
    };
  const names = lookupOf({
    'zero.test': [{ address: '0.0.0.0', family: 4 }],
    'zero6.test': [{ address: '::', family: 6 }],
    'mapped-zero.test': [{ address: '::ffff:0.0.0.0', family: 6 }],
    'mixed.test': [
      { address: '192.0.2.10', family: 4 },
      { address: '::', family: 6 },
    ],
    'own.test': [{ address: '10.20.30.40', family: 4 }],
  });
  const open = new TargetResolver(new TargetPolicy({ localAddresses: noOwnAddresses }), names);
  const guarded = new TargetResolver(new TargetPolicy({ deny: ['127.0.0.0/8', '::1/128'], localAddresses: () => OWN_ADDRESSES }), names);

  it.each(UNSPECIFIED_V4)('%s is returned as 127.0.0.1, the address adapters connect to', async (spelling) => {
    await expect(open.resolve(spelling, { subsystem, port: 80 })).resolves.toMatchObject({ address: '127.0.0.1', family: 4, addresses: ['127.0.0.1'] });
  });

  it.each(UNSPECIFIED_V6)('%s is returned as ::1', async (spelling) => {
    await expect(open.resolve(spelling, { subsystem, port: 80 })).resolves.toMatchObject({ address: '::1', family: 6, addresses: ['::1'] });
  });

  it('a name resolving to the unspecified address is returned as loopback, and refused when loopback is denied', async () => {
    await expect(open.resolve('zero.test', { subsystem, port: 80 })).resolves.toMatchObject({ host: 'zero.test', address: '127.0.0.1' });
    await expect(open.resolve('zero6.test', { subsystem, port: 80 })).resolves.toMatchObject({ address: '::1', family: 6 });
    await expect(open.resolve('mapped-zero.test', { subsystem, port: 80 })).resolves.toMatchObject({ address: '127.0.0.1', family: 4 });
    for (const [name, rule] of [
      ['zero.test', 'TARGET_DENY 127.0.0.0/8'],
      ['zero6.test', 'TARGET_DENY ::1/128'],
      ['mapped-zero.test', 'TARGET_DENY 127.0.0.0/8'],
      ['mixed.test', 'TARGET_DENY ::1/128'],
      ['own.test', 'TARGET_DENY 127.0.0.0/8'],
    ]) {
      const refusal = await guarded.resolve(name, { subsystem, port: 80 }).catch((err: unknown) => err);
      expect(refusal, name).toBeInstanceOf(AdapterError);
      expect(refusal, name).toMatchObject({ code: 'REFUSED_BY_POLICY', extensions: { rule } });
    }
  });

  it('every spelling of an unspecified or own address is refused before any lookup', async () => {
    const noLookup = new TargetResolver(guarded.policy, () => Promise.reject(new Error('a literal must not be looked up')));
    for (const spelling of [...UNSPECIFIED_V4, ...UNSPECIFIED_V6, '10.20.30.40', '0x0A141E28', 'fd00::2']) {
      await expect(noLookup.resolve(spelling, { subsystem, port: 80 }), spelling).rejects.toMatchObject({ code: 'REFUSED_BY_POLICY' });
    }
  });
});
