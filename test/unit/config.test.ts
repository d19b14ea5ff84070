import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigIssues, loadConfig } from '../../src/config.ts';

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'netprobe-config-')), name);
  writeFileSync(file, content);
  return file;
}

describe('loadConfig', () => {
  it('applies embedded defaults with an empty environment', () => {
    const result = loadConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.http).toEqual({ port: 8080, host: '0.0.0.0', bodyLimitBytes: 1048576, corsOrigins: [], shutdownTimeoutMs: 10000, reusePort: false, workers: 1 });
    expect(result.config.log.level).toBe('info');
    expect(result.config.traps.port).toBe(1162);
  });

  it('reads environment variables with coercion', () => {
    const result = loadConfig({ PORT: '9000', HOST: '127.0.0.1', LOG_LEVEL: 'debug', TRAP_COMMUNITIES: 'public, ops', TRAP_ENABLED: 'false' });
    expect(result.ok && result.config.http.port).toBe(9000);
    expect(result.ok && result.config.http.host).toBe('127.0.0.1');
    expect(result.ok && result.config.traps.communities).toEqual(['public', 'ops']);
    expect(result.ok && result.config.traps.enabled).toBe(false);
  });

  it('reads HTTP_REUSE_PORT and TRAP_REUSE_PORT (SO_REUSEPORT, off by default)', () => {
    const result = loadConfig({ HTTP_REUSE_PORT: 'true', TRAP_REUSE_PORT: 'true' });
    expect(result.ok && [result.config.http.reusePort, result.config.traps.reusePort]).toEqual([true, true]);
    const defaults = loadConfig({});
    expect(defaults.ok && [defaults.config.http.reusePort, defaults.config.traps.reusePort]).toEqual([false, false]);
  });

  it('reads WORKERS: 1 by default, a whole number up to 64, or auto (one per available core)', async () => {
    const { availableParallelism } = await import('node:os');
    const workers = (value: string | undefined) => {
      const result = loadConfig({ WORKERS: value });
      return result.ok ? result.config.http.workers : result.issues;
    };
    expect(workers(undefined)).toBe(1);
    expect(workers('4')).toBe(4);
    expect(workers('auto')).toBe(Math.min(64, availableParallelism()));
    for (const bad of ['0', '65', '1.5', 'two']) {
      expect(workers(bad), bad).toEqual([{ source: 'WORKERS', message: 'must be auto or a whole number from 1 to 64' }]);
    }
  });

  it('names every bad variable and why, without throwing', () => {
    const result = loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', TRAP_USERS: 'not json' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const sources = result.issues.map((i) => i.source).sort();
    expect(sources).toEqual(['LOG_LEVEL', 'PORT', 'TRAP_USERS']);
    const text = formatConfigIssues(result.issues);
    expect(text).toMatch(/PORT: .*65535/);
    expect(text).toMatch(/TRAP_USERS: must be a JSON array/);
  });

  it('parses TRAP_USERS as a JSON array of users', () => {
    const result = loadConfig({
      TRAP_USERS: JSON.stringify([{ name: 'ops', level: 'authPriv', authProtocol: 'sha', authKey: 'a'.repeat(8), privProtocol: 'aes', privKey: 'p'.repeat(8) }]),
    });
    expect(result.ok && result.config.traps.users[0].name).toBe('ops');
  });

  it('loads a YAML config file named by NETPROBE_CONFIG; env wins over the file', () => {
    const file = tempFile('netprobe.yaml', 'http:\n  port: 7000\n  host: 127.0.0.2\nlog:\n  level: warn\n');
    const result = loadConfig({ NETPROBE_CONFIG: file, PORT: '7001' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.http.port).toBe(7001);
    expect(result.config.http.host).toBe('127.0.0.2');
    expect(result.config.log.level).toBe('warn');
  });

  it('loads a JSON config file and rejects unknown keys with their path', () => {
    const file = tempFile('netprobe.json', JSON.stringify({ http: { port: 7000, prot: 1 } }));
    const result = loadConfig({ NETPROBE_CONFIG: file });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0].source).toContain('http');
    expect(result.issues[0].message).toMatch(/prot/);
  });

  it('reports an unreadable or unparsable config file', () => {
    const missing = loadConfig({ NETPROBE_CONFIG: '/nonexistent/netprobe.yaml' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.issues[0]).toMatchObject({ source: 'NETPROBE_CONFIG', message: expect.stringMatching(/cannot read/) });
    const broken = loadConfig({ NETPROBE_CONFIG: tempFile('bad.json', '{nope') });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.issues[0].message).toMatch(/cannot parse/);
  });
});

describe('SNMP credential profiles', () => {
  it('resolves secrets from env and mounted files', () => {
    const keyFile = tempFile('privkey', 'file-priv-key-123\n');
    const file = tempFile(
      'netprobe.yaml',
      [
        'snmp:',
        '  credentials:',
        '    core:',
        '      version: "3"',
        '      targets: ["10.0.0.0/8"]',
        '      user:',
        '        name: ops',
        '        level: authPriv',
        '        authProtocol: sha256',
        '        authKey: { env: CORE_AUTH }',
        '        privProtocol: aes',
        `        privKey: { file: ${keyFile} }`,
        '    edge:',
        '      version: 2c',
        '      community: { env: EDGE_COMMUNITY }',
      ].join('\n'),
    );
    const result = loadConfig({ NETPROBE_CONFIG: file, CORE_AUTH: 'env-auth-key-123', EDGE_COMMUNITY: 'edge-secret' });
    expect(result.ok ? [] : result.issues).toEqual([]);
    if (!result.ok) return;
    expect(result.config.snmp.credentials.core.user).toMatchObject({ authKey: 'env-auth-key-123', privKey: 'file-priv-key-123' });
    expect(result.config.snmp.credentials.core.targets).toEqual(['10.0.0.0/8']);
    expect(result.config.snmp.credentials.edge.community).toBe('edge-secret');
  });

  it('names a missing secret source and a profile without credentials', () => {
    const file = tempFile('netprobe.yaml', 'snmp:\n  credentials:\n    a:\n      version: "2c"\n      community: { env: NOPE }\n');
    const result = loadConfig({ NETPROBE_CONFIG: file });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toEqual([{ source: 'snmp.credentials.a.community', message: 'environment variable NOPE is not set' }]);
    const bare = loadConfig({ NETPROBE_CONFIG: tempFile('n.yaml', 'snmp:\n  credentials:\n    b:\n      version: "3"\n') });
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(bare.issues[0].message).toMatch(/needs a user/);
  });

  it('checks a profile user exactly as a request user: an authPriv profile without keys is refused', () => {
    const yaml = 'snmp:\n  credentials:\n    core:\n      version: "3"\n      user: { name: ops, level: authPriv }\n';
    const result = loadConfig({ NETPROBE_CONFIG: tempFile('p.yaml', yaml) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = result.issues.map((issue) => issue.source.split(': ').pop());
    expect(fields).toEqual(
      expect.arrayContaining(['snmp.credentials.core.user.authProtocol', 'snmp.credentials.core.user.authKey', 'snmp.credentials.core.user.privProtocol', 'snmp.credentials.core.user.privKey']),
    );
  });

  it('applies the same rules to trap users (TRAP_USERS)', () => {
    const result = loadConfig({ TRAP_USERS: JSON.stringify([{ name: 'ops', level: 'authNoPriv', authProtocol: 'sha', authKey: 'short' }]) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatConfigIssues(result.issues)).toMatch(/TRAP_USERS: .*authKey must be at least 8 characters/);
  });

  describe('the trap bus and Redis (TRAP_BUS, REDIS_*)', () => {
    it('memory by default; redis with a redis:// or rediss:// URL', () => {
      const memory = loadConfig({});
      expect(memory.ok && memory.config.traps.bus).toBe('memory');
      const redis = loadConfig({ TRAP_BUS: 'redis', REDIS_URL: 'rediss://redis.example.net:6380/0', TRAP_STREAM_MAXLEN: '5000', TRAP_DEDUP_MS: '2000' });
      expect(redis.ok && redis.config.traps).toMatchObject({ bus: 'redis', stream: 'netprobe:traps', streamMaxLen: 5000, dedupMs: 2000, streamMaxAgeMs: 0 });
      expect(redis.ok && redis.config.redis.url).toBe('rediss://redis.example.net:6380/0');
    });

    it('TRAP_BUS=redis without REDIS_URL, or a URL that is not redis:// or rediss://, is refused with a clear message', () => {
      const missing = loadConfig({ TRAP_BUS: 'redis' });
      expect(missing.ok ? '' : formatConfigIssues(missing.issues)).toMatch(/TRAP_BUS: TRAP_BUS=redis needs REDIS_URL/);
      for (const url of ['http://redis:6379', 'redis:6379', 'redis://']) {
        const bad = loadConfig({ TRAP_BUS: 'redis', REDIS_URL: url });
        expect(bad.ok ? '' : formatConfigIssues(bad.issues), url).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
      }
      expect(loadConfig({ TRAP_BUS: 'kafka' }).ok).toBe(false);
    });

    it('the password comes from REDIS_PASSWORD, a mounted file (REDIS_PASSWORD_FILE) or a secret reference in the file; never twice', () => {
      const file = tempFile('redis-password', 's3cret-from-file\n');
      const fromFile = loadConfig({ REDIS_URL: 'redis://redis:6379', REDIS_PASSWORD_FILE: file });
      expect(fromFile.ok && fromFile.config.redis.password).toBe('s3cret-from-file');
      const fromEnv = loadConfig({ REDIS_URL: 'redis://redis:6379', REDIS_PASSWORD: 'from-env' });
      expect(fromEnv.ok && fromEnv.config.redis.password).toBe('from-env');
      const config = tempFile('netprobe.yaml', `redis:\n  url: redis://redis:6379\n  password: { env: MY_REDIS_SECRET }\n`);
      const fromRef = loadConfig({ NETPROBE_CONFIG: config, MY_REDIS_SECRET: 'from-ref' });
      expect(fromRef.ok && fromRef.config.redis.password).toBe('from-ref');

      const unreadable = loadConfig({ REDIS_URL: 'redis://redis:6379', REDIS_PASSWORD_FILE: '/nonexistent/redis-password' });
      expect(unreadable.ok ? '' : formatConfigIssues(unreadable.issues)).toMatch(/REDIS_PASSWORD_FILE: cannot read \/nonexistent\/redis-password: ENOENT/);
      const both = loadConfig({ REDIS_URL: 'redis://redis:6379', REDIS_PASSWORD: 'x', REDIS_PASSWORD_FILE: file });
      expect(both.ok ? '' : formatConfigIssues(both.issues)).toMatch(/REDIS_PASSWORD_FILE: give REDIS_PASSWORD or REDIS_PASSWORD_FILE, not both/);
      const twice = loadConfig({ REDIS_URL: 'redis://:inline@redis:6379', REDIS_PASSWORD: 'x' });
      expect(twice.ok ? '' : formatConfigIssues(twice.issues)).toMatch(/REDIS_PASSWORD: the password is given twice/);
    });
  });
});
