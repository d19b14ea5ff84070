import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeService, specFor } from '../helpers/probe-app.ts';
import {
  closedPort,
  lineServer,
  resettingServer,
  saturatedListener,
  silentTcpServer,
  silentUdpServer,
  udpEchoServer,
  type TcpPeer,
  type UdpPeer,
} from '../helpers/probe-peers.ts';

const service = probeService();
const SLACK_MS = 500;

describe.each(['127.0.0.1', '::1'])('TCP probes on %s', (host) => {
  let banner: TcpPeer;
  let plain: TcpPeer;
  let silent: TcpPeer;
  let resetting: TcpPeer;
  let closed: number;

  beforeAll(async () => {
    banner = await lineServer(host, '220 probe.test ESMTP ready\r\n');
    plain = await lineServer(host);
    silent = await silentTcpServer(host);
    resetting = await resettingServer(host);
    closed = await closedPort('tcp', host);
  });
  afterAll(async () => {
    await Promise.all([banner?.close(), plain?.close(), silent?.close(), resetting?.close()]);
  });

  it('reports an open port with its connect time (connect check, nothing read)', async () => {
    const result = await service.probe(specFor({ host, port: plain.port }));
    expect(result).toMatchObject({ ok: true, protocol: 'tcp', host, address: host, port: plain.port, state: 'open' });
    expect(result.timings.dnsMs).toBe(0);
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.connectMs!);
    expect(result.response).toBeUndefined();
  });

  it('reports a closed port as closed / REFUSED', async () => {
    const result = await service.probe(specFor({ host, port: closed }));
    expect(result).toMatchObject({ ok: false, state: 'closed', error: { code: 'REFUSED' }, address: host });
    expect(result.timings.connectMs).toBeNull();
  });

  it('sends a line and matches the answer with expect (groups, named groups)', async () => {
    const result = await service.probe(specFor({ host, port: plain.port, send: 'hello world\n', expect: '^echo:(?<first>\\w+) (\\w+)' }));
    expect(result).toMatchObject({
      ok: true,
      state: 'open',
      response: { text: 'echo:hello world\n', bytes: 17, endedBy: 'match' },
      match: { matched: true, groups: ['hello', 'world'], named: { first: 'hello' } },
    });
    expect(result.response!.hex).toBe(Buffer.from('echo:hello world\n').toString('hex'));
    expect(result.timings.firstByteMs).toBeGreaterThanOrEqual(0);
  });

  it('sends raw bytes given as hex', async () => {
    const result = await service.probe(specFor({ host, port: plain.port, send: { hex: '68 69 0a' }, expect: 'echo:hi' }));
    expect(result).toMatchObject({ ok: true, match: { matched: true } });
  });

  it('grabs a banner (expect without send)', async () => {
    const result = await service.probe(specFor({ host, port: banner.port, expect: '^220 (\\S+)' }));
    expect(result).toMatchObject({ ok: true, state: 'open', match: { matched: true, groups: ['probe.test'] } });
    expect(result.response!.text).toBe('220 probe.test ESMTP ready\r\n');
  });

  it('stops at readBytes', async () => {
    const result = await service.probe(specFor({ host, port: banner.port, readBytes: 3 }));
    expect(result).toMatchObject({ ok: true, response: { text: '220', bytes: 3, endedBy: 'readBytes' } });
  });

  it('fails with NO_MATCH when readBytes are in and expect did not match', async () => {
    const result = await service.probe(specFor({ host, port: banner.port, readBytes: 8, expect: 'NEVER' }));
    expect(result).toMatchObject({ ok: false, state: 'open', error: { code: 'NO_MATCH' }, match: { matched: false } });
  });

  it('a listener that accepts and never answers gives TIMEOUT within timeoutMs + slack', async () => {
    const timeoutMs = 400;
    const started = performance.now();
    const result = await service.probe(specFor({ host, port: silent.port, send: 'ping\n', expect: 'pong', timeoutMs }));
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ ok: false, state: 'open', error: { code: 'TIMEOUT' }, match: { matched: false } });
    expect(result.response).toMatchObject({ bytes: 0, endedBy: 'deadline' });
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 5);
    expect(elapsed).toBeLessThan(timeoutMs + SLACK_MS);
  });

  it('a banner grab against a silent listener is a TIMEOUT too', async () => {
    const result = await service.probe(specFor({ host, port: silent.port, expect: '^220', timeoutMs: 200 }));
    expect(result).toMatchObject({ ok: false, state: 'open', error: { code: 'TIMEOUT' } });
  });

  it('a pattern catastrophic for backtracking is evaluated in one pass: NO_MATCH at once, not a frozen process', async () => {
    const line = `${'a'.repeat(40)}b\n`;
    const result = await service.probe(specFor({ host, port: plain.port, send: line, expect: '^echo:(a+)+$', readBytes: `echo:${line}`.length }));
    expect(result).toMatchObject({ ok: false, state: 'open', error: { code: 'NO_MATCH' }, response: { endedBy: 'readBytes' } });
  });

  it('reports a reset as RESET', async () => {
    const result = await service.probe(specFor({ host, port: resetting.port, send: 'x\n', expect: 'y' }));
    expect(result).toMatchObject({ ok: false, state: 'open', error: { code: 'RESET' } });
  });
});

describe('names and families', () => {
  let peer: TcpPeer;
  beforeAll(async () => {
    peer = await lineServer('127.0.0.1');
  });
  afterAll(() => peer?.close());

  it('resolves localhost and reports the DNS time and the address used', async () => {
    const result = await service.probe(specFor({ host: 'localhost', port: peer.port, ipFamily: 4 }));
    expect(result).toMatchObject({ ok: true, host: 'localhost', address: '127.0.0.1', state: 'open' });
    expect(result.timings.dnsMs).toBeGreaterThanOrEqual(0);
  });

  it('a name that does not resolve is state error / DNS', async () => {
    const result = await service.probe(specFor({ host: 'nonexistent.invalid', port: 80 }));
    expect(result).toMatchObject({ ok: false, state: 'error', address: null, error: { code: 'DNS' } });
    expect(result.timings.dnsMs).toBeNull();
  });

  it('accepts a bracketed IPv6 literal', async () => {
    const v6 = await lineServer('::1');
    try {
      const result = await service.probe(specFor({ host: '[::1]', port: v6.port }));
      expect(result).toMatchObject({ ok: true, host: '::1', address: '::1' });
    } finally {
      await v6.close();
    }
  });
});

describe.each(['127.0.0.1', '::1'])('UDP probes on %s', (host) => {
  let echo: UdpPeer;
  let silent: UdpPeer;
  let closed: number;

  beforeAll(async () => {
    echo = await udpEchoServer(host);
    silent = await silentUdpServer(host);
    closed = await closedPort('udp', host);
  });
  afterAll(async () => {
    await Promise.all([echo?.close(), silent?.close()]);
  });

  it('an echo answers and expect matches', async () => {
    const result = await service.probe(specFor({ protocol: 'udp', host, port: echo.port, send: 'status?', expect: '^echo:(\\w+)' }));
    expect(result).toMatchObject({
      ok: true,
      protocol: 'udp',
      state: 'open',
      response: { text: 'echo:status?', endedBy: 'match' },
      match: { matched: true, groups: ['status'] },
    });
    expect(result.timings.connectMs).toBeNull();
    expect(result.timings.firstByteMs).toBeGreaterThanOrEqual(0);
  });

  it('without expect the first datagram ends the probe (empty payload by default)', async () => {
    const result = await service.probe(specFor({ protocol: 'udp', host, port: echo.port }));
    expect(result).toMatchObject({ ok: true, state: 'open', response: { text: 'echo:', endedBy: 'datagram' } });
  });

  it('a port with no listener is closed (ICMP port unreachable)', async () => {
    const result = await service.probe(specFor({ protocol: 'udp', host, port: closed, send: 'x' }));
    expect(result).toMatchObject({ ok: false, state: 'closed', error: { code: 'REFUSED' } });
  });

  it('a silent listener is open|filtered after the timeout', async () => {
    const timeoutMs = 300;
    const started = performance.now();
    const result = await service.probe(specFor({ protocol: 'udp', host, port: silent.port, send: 'x', timeoutMs }));
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ ok: false, state: 'open|filtered', error: { code: 'TIMEOUT' } });
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 5);
    expect(elapsed).toBeLessThan(timeoutMs + SLACK_MS);
    expect(silent.received).toBeGreaterThan(0);
  });
});

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

describe('filtered', () => {
  it.skipIf(!hasPython)('a connect that gets no answer (SYN dropped) for more than TCP\'s first retransmission timeout is filtered / TIMEOUT', async () => {
    const listener = await saturatedListener();
    try {
      const timeoutMs = 1500;
      const started = performance.now();
      const result = await service.probe(specFor({ host: '127.0.0.1', port: listener.port, timeoutMs }));
      const elapsed = performance.now() - started;
      expect(result).toMatchObject({ ok: false, state: 'filtered', error: { code: 'TIMEOUT' } });
      expect(result.timings.connectMs).toBeNull();
      expect(elapsed).toBeLessThan(timeoutMs + SLACK_MS);
    } finally {
      await listener.close();
    }
  });

  it.skipIf(!hasPython)('a deadline shorter than that is a timeout, not a claim that the port is filtered', async () => {
    const listener = await saturatedListener();
    try {
      const result = await service.probe(specFor({ host: '127.0.0.1', port: listener.port, timeoutMs: 300 }));
      expect(result).toMatchObject({ ok: false, state: 'timeout', error: { code: 'TIMEOUT' } });
    } finally {
      await listener.close();
    }
  });
});

describe('cancellation', () => {
  it('stops a probe when the caller aborts, and reports CANCELLED', async () => {
    const silent = await silentTcpServer();
    try {
      const controller = new AbortController();
      const pending = service.probe(specFor({ host: '127.0.0.1', port: silent.port, expect: 'x', timeoutMs: 10_000 }), controller.signal);
      setTimeout(() => controller.abort(), 50);
      const result = await pending;
      expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
      expect(result.timings.totalMs).toBeLessThan(5000);
    } finally {
      await silent.close();
    }
  });
});
