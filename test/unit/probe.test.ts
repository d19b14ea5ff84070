import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../src/errors.ts';
import { X509Certificate } from 'node:crypto';
import { signatureAlgorithmOf, summarizeCertificate, subjectAltNames } from '../../src/probe/certificate.ts';
import { ProbeDeadline, untilAborted, wasCancelled } from '../../src/probe/deadline.ts';
import { ResponseCollector } from '../../src/probe/exchange.ts';
import { compileExpect, ExpectCompiler, matchExpect, MAX_EXPECT_COST, MAX_EXPECT_INSTRUCTIONS_PER_REQUEST, type ExpectPattern } from '../../src/probe/matcher.ts';
import { connectFailure, streamFailure } from '../../src/probe/outcomes.ts';
import type { ProberRegistry, ProbeSpec } from '../../src/probe/index.ts';
import type { ResolvedTarget } from '../../src/net/resolve.ts';
import { testProbeService } from '../helpers/deps.ts';
import { planFor, specFor } from '../helpers/probe-app.ts';

describe('planning a probe request', () => {
  it('applies the defaults', () => {
    expect(specFor({ host: '192.0.2.1', port: 80 })).toEqual({
      protocol: 'tcp',
      host: '192.0.2.1',
      port: 80,
      timeoutMs: 3000,
      ipFamily: 'auto',
      readBytes: 4096,
      read: false,
    });
  });

  it('reads when send, expect or readBytes is given', () => {
    expect(specFor({ host: '192.0.2.1', port: 80, send: 'x' }).read).toBe(true);
    expect(specFor({ host: '192.0.2.1', port: 80, expect: 'x' }).read).toBe(true);
    expect(specFor({ host: '192.0.2.1', port: 80, readBytes: 10 }).read).toBe(true);
  });

  it('caps the default readBytes by config.probe.maxReadBytes', () => {
    const plan = planFor({ host: '192.0.2.1', port: 80 }, { maxBatch: 10, maxConcurrency: 10, maxReadBytes: 100 });
    expect(plan.kind === 'single' && plan.spec.readBytes).toBe(100);
  });

  it('sends the host as SNI when it is a name (without a trailing dot), nothing for an IP', () => {
    expect(specFor({ protocol: 'tls', host: 'mail.example.com.', port: 465 }).tls).toEqual({ insecure: false, servername: 'mail.example.com' });
    expect(specFor({ protocol: 'tls', host: '[2001:db8::1]', port: 465 }).tls).toEqual({ insecure: false });
    expect(specFor({ protocol: 'tls', host: 'a.example', port: 465, tls: { servername: 'b.example', alpn: ['h2'] } }).tls).toEqual({
      insecure: false,
      servername: 'b.example',
      alpn: ['h2'],
    });
  });

  it('decodes hex payloads with spaces or colons', () => {
    expect(specFor({ host: '192.0.2.1', port: 80, send: { hex: '16 03:01 ff' } }).send).toEqual(Buffer.from([0x16, 0x03, 0x01, 0xff]));
  });

  it('compiles expect with its flags', () => {
    const spec = specFor({ host: '192.0.2.1', port: 80, expect: '^ssh-', expectFlags: 'im' });
    expect(spec.expect?.flags).toBe('im');
    expect(matchExpect(spec.expect!, 'x\nSSH-2.0')).toEqual({ matched: true, groups: [] });
  });

  it('refuses what RE2 cannot run, saying so', () => {
    for (const pattern of ['(a)\\1', 'a(?=b)', '(?<!a)b', '[']) {
      expect(() => specFor({ host: '192.0.2.1', port: 80, expect: pattern })).toThrow(/not a valid regular expression for RE2/);
    }
  });

  it('refuses a pattern whose size times readBytes exceeds the matching budget, naming the readBytes that would do', () => {
    expect(() => specFor({ host: '192.0.2.1', port: 80, expect: '\\w{1000}' })).toThrow(/compiles to \d+ RE2 instructions.*simplify the pattern/);
    const alternatives = '(?i)(error|warning|critical|failure|denied)';
    const size = pattern(alternatives).programSize;
    const fits = Math.floor(MAX_EXPECT_COST / size);
    expect(specFor({ host: '192.0.2.1', port: 80, expect: alternatives, readBytes: fits }).readBytes).toBe(fits);
    expect(() => specFor({ host: '192.0.2.1', port: 80, expect: alternatives, readBytes: fits + 1 })).toThrow(`set readBytes to at most ${fits}`);
  });

  it('compiles each distinct pattern of a request once, within a budget of instructions', () => {
    const patterns = new ExpectCompiler();
    const first = patterns.compile('^220 ');
    expect(patterns.compile('^220 ')).toBe(first);
    const big = '(?:\\w{100})'.repeat(10);
    let refused: string | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      const result = patterns.compile(`${big}${i}`);
      if (!result.ok) refused = result.reason;
    }
    expect(refused).toContain(`more than ${MAX_EXPECT_INSTRUCTIONS_PER_REQUEST} RE2 instructions in all`);
  });

  it('merges shared fields into batch targets; a target overrides them, tls objects merge', () => {
    const plan = planFor({
      protocol: 'tls',
      port: 443,
      tls: { insecure: true, alpn: ['h2'] },
      targets: [{ host: 'a.example' }, { host: 'b.example', port: 8443, tls: { alpn: ['http/1.1'] } }, { host: '192.0.2.1', protocol: 'tcp' }],
    });
    if (plan.kind !== 'batch') throw new Error('expected a batch');
    expect(plan.concurrency).toBe(64);
    expect(plan.specs.map((s: ProbeSpec) => [s.host, s.port, s.protocol])).toEqual([
      ['a.example', 443, 'tls'],
      ['b.example', 8443, 'tls'],
      ['192.0.2.1', 443, 'tcp'],
    ]);
    expect(plan.specs[1].tls).toEqual({ insecure: true, alpn: ['http/1.1'], servername: 'b.example' });
    expect(plan.specs[2].tls).toBeUndefined();
  });
});

function pattern(source: string, flags = ''): ExpectPattern {
  const compiled = compileExpect(source, flags);
  if (!compiled.ok) throw new Error(compiled.reason);
  return compiled.pattern;
}

describe('expect matching (RE2)', () => {
  it('returns groups and named groups, in both named-group spellings', () => {
    expect(matchExpect(pattern('(?<code>\\d{3}) (\\w+)?'), '220 ')).toEqual({ matched: true, groups: ['220', null], named: { code: '220' } });
    expect(matchExpect(pattern('(?P<major>\\d+)\\.(?P<minor>\\d+)(?P<patch>\\.\\d+)?'), 'v2.0')).toEqual({
      matched: true,
      groups: ['2', '0', null],
      named: { major: '2', minor: '0', patch: null },
    });
    expect(matchExpect(pattern('x'), 'y')).toBeUndefined();
  });

  it('applies the flags i, m and s; u changes nothing', () => {
    expect(matchExpect(pattern('^ssh', 'i'), 'SSH-2.0')?.matched).toBe(true);
    expect(matchExpect(pattern('^b$'), 'a\nb\nc')).toBeUndefined();
    expect(matchExpect(pattern('^b$', 'm'), 'a\nb\nc')?.matched).toBe(true);
    expect(matchExpect(pattern('a.b'), 'a\nb')).toBeUndefined();
    expect(matchExpect(pattern('a.b', 's'), 'a\nb')?.matched).toBe(true);
    expect(matchExpect(pattern('^.$', 'u'), '😀')?.matched).toBe(true);
  });

  it('a pattern that is catastrophic for a backtracking engine answers at once (RE2 does not backtrack)', () => {
    // Native RegExp needs about 2^4095 steps here; RE2 takes one pass.
    expect(matchExpect(pattern('^(a+)+$'), `${'a'.repeat(4095)}!`)).toBeUndefined();
    expect(matchExpect(pattern('^(a+)+$'), 'a'.repeat(4096))).toEqual({ matched: true, groups: ['a'.repeat(4096)] });
  });
});

describe('response collection', () => {
  it('keeps at most readBytes and reports text, hex and size', () => {
    const collector = new ResponseCollector(5);
    collector.add(Buffer.from('abc'), performance.now());
    collector.add(Buffer.from('defgh'), performance.now());
    expect(collector.full).toBe(true);
    expect(collector.response('readBytes')).toEqual({ text: 'abcde', hex: '6162636465', bytes: 5, endedBy: 'readBytes' });
  });
});

describe('certificates', () => {
  it('splits subjectAltName, respecting quoted values', () => {
    expect(subjectAltNames('DNS:a.example, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')).toEqual(['DNS:a.example', 'IP:127.0.0.1', 'IP:0:0:0:0:0:0:0:1']);
    expect(subjectAltNames('DNS:"a, b", DNS:c')).toEqual(['DNS:"a, b"', 'DNS:c']);
    expect(subjectAltNames(undefined)).toEqual([]);
  });

  it('rejects garbage DER loudly (the runner turns it into an ERROR result)', () => {
    expect(() => summarizeCertificate(Buffer.from('not a certificate'))).toThrow();
  });
});

describe('error classification', () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  it('maps connect errors to nmap states and stable codes', () => {
    expect(connectFailure(err('ECONNREFUSED'))).toMatchObject({ state: 'closed', error: { code: 'REFUSED' } });
    expect(connectFailure(err('EHOSTUNREACH'))).toMatchObject({ state: 'filtered', error: { code: 'UNREACHABLE' } });
    expect(connectFailure(err('ETIMEDOUT'))).toMatchObject({ state: 'filtered', error: { code: 'TIMEOUT' } });
    expect(connectFailure(err('EWHATEVER'))).toMatchObject({ state: 'error', error: { code: 'ERROR' } });
    expect(streamFailure(err('ECONNRESET'))).toMatchObject({ code: 'RESET' });
  });
});

describe('deadlines', () => {
  it('aborts with a timeout reason, and tells cancellation apart', async () => {
    const timed = new ProbeDeadline(10);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(timed.signal.aborted).toBe(true);
    expect(wasCancelled(timed.signal)).toBe(false);

    const parent = new AbortController();
    const cancelled = new ProbeDeadline(10_000, parent.signal);
    parent.abort();
    expect(wasCancelled(cancelled.signal)).toBe(true);
    cancelled.dispose();
  });

  it('untilAborted does not leave the losing promise unhandled', async () => {
    const controller = new AbortController();
    const slow = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 20));
    const raced = untilAborted(slow, controller.signal);
    controller.abort(new DOMException('stop', 'TimeoutError'));
    await expect(raced).rejects.toMatchObject({ name: 'TimeoutError' });
    await new Promise((resolve) => setTimeout(resolve, 40));
  });
});

describe('the runner', () => {
  const neverCalled: ProberRegistry = {
    tcp: () => Promise.reject(new Error('must not be called')),
    tls: () => Promise.reject(new Error('must not be called')),
    udp: () => Promise.reject(new Error('must not be called')),
  };

  it('a resolution slower than the deadline is a TIMEOUT with state error', async () => {
    const slowResolver = { resolve: () => new Promise<ResolvedTarget>(() => undefined) };
    const result = await testProbeService({ resolver: slowResolver, probers: neverCalled }).probe(specFor({ host: 'slow.example', port: 80, timeoutMs: 50 }));
    expect(result).toMatchObject({ ok: false, state: 'error', address: null, error: { code: 'TIMEOUT' } });
  });

  it('maps resolver errors: UNRESOLVABLE → DNS, REFUSED_BY_POLICY → POLICY', async () => {
    for (const [code, expected] of [
      ['UNRESOLVABLE', 'DNS'],
      ['REFUSED_BY_POLICY', 'POLICY'],
    ] as const) {
      const resolver = { resolve: () => Promise.reject(new AdapterError(code, 'probe', 'no')) };
      const result = await testProbeService({ resolver, probers: neverCalled }).probe(specFor({ host: 'x.example', port: 80 }));
      expect(result.error?.code).toBe(expected);
    }
  });

  it('a prober that throws becomes an ERROR result, never a rejection', async () => {
    const result = await testProbeService({ probers: neverCalled }).probe(specFor({ host: '192.0.2.1', port: 80 }));
    expect(result).toMatchObject({ ok: false, state: 'error', address: '192.0.2.1', error: { code: 'ERROR', message: 'must not be called' } });
  });

  it('runs a batch with at most `concurrency` probes at once, results in order', async () => {
    let running = 0;
    let maxRunning = 0;
    const counting: ProberRegistry['tcp'] = async (target) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running--;
      return { state: 'open', connectMs: target.port };
    };
    const service = testProbeService({ probers: { tcp: counting, tls: counting, udp: counting } });
    const plan = planFor({ targets: Array.from({ length: 100 }, (_, i) => ({ host: '192.0.2.1', port: i + 1 })), concurrency: 7 });
    if (plan.kind !== 'batch') throw new Error('expected a batch');
    const results = await service.probeBatch(plan.specs, plan.concurrency);
    expect(results.map((r) => r.port)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(maxRunning).toBe(7);
  });
});

describe('certificate details', () => {
  it('names the key and the signature algorithm of an EC certificate', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'netprobe-ec-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-sha384', '-nodes', '-days', '2', '-subj', '/CN=ec.test', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
      const der = new X509Certificate(readFileSync(join(dir, 'c.pem'))).raw;
      expect(summarizeCertificate(der)).toMatchObject({ keyType: 'ec', keyBits: null, keyCurve: 'prime256v1', signatureAlgorithm: 'ecdsa-with-SHA384' });
      expect(signatureAlgorithmOf(Buffer.from('not a certificate'))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
