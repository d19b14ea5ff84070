import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, jsonRequest } from '../helpers/app.ts';
import { probeService, specFor } from '../helpers/probe-app.ts';
import {
  closedPort,
  lineServer,
  nodeTlsServer,
  openSslServer,
  selfSignedCertificate,
  type NodeTlsPeer,
  type OpenSslServer,
  type TcpPeer,
  type TestCertificate,
} from '../helpers/probe-peers.ts';

const service = probeService();

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('TLS probes against openssl s_server (self-signed, 30 days)', () => {
  let cert: TestCertificate;
  let server: OpenSslServer;

  beforeAll(async () => {
    cert = selfSignedCertificate(30);
    server = await openSslServer(cert);
  });
  afterAll(async () => {
    await server?.close();
    cert?.cleanup();
  });

  it('untrusted chain: ok false, TLS, authorized false with the reason, certificate still reported', async () => {
    const result = await service.probe(specFor({ protocol: 'tls', host: '127.0.0.1', port: server.port, tls: { servername: 'probe.test' } }));
    expect(result).toMatchObject({ ok: false, state: 'open', error: { code: 'TLS' } });
    expect(result.tls).toMatchObject({ authorized: false, verdict: 'untrusted', authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', servername: 'probe.test' });
    expect(result.error!.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(result.error!.message).not.toMatch(/name mismatch/);
    expect(result.tls!.certificate).toMatchObject({ subject: 'CN=probe.test', issuer: 'CN=probe.test' });
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.tlsMs).toBeGreaterThan(0);
  });

  it('insecure: the probe succeeds and still reports authorized false and the certificate', async () => {
    const result = await service.probe(
      specFor({ protocol: 'tls', host: '127.0.0.1', port: server.port, tls: { servername: 'probe.test', insecure: true } }),
    );
    expect(result).toMatchObject({ ok: true, state: 'open' });
    expect(result.error).toBeUndefined();
    expect(result.tls).toMatchObject({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const certificate = result.tls!.certificate!;
    expect(certificate.san).toEqual(['DNS:probe.test', 'IP:127.0.0.1']);
    expect(certificate.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(certificate.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(new Date(certificate.validFrom).toISOString()).toBe(certificate.validFrom);
    expect(new Date(certificate.validTo).toISOString()).toBe(certificate.validTo);
  });

  it('with ca: authorized, daysRemaining ≈ 30, chain stops at the self-signed root', async () => {
    const result = await service.probe(
      specFor({ protocol: 'tls', host: '127.0.0.1', port: server.port, tls: { servername: 'probe.test', ca: cert.certPem } }),
    );
    expect(result).toMatchObject({ ok: true, state: 'open', tls: { authorized: true, verdict: 'trusted', authorizationError: null } });
    // openssl req -newkey rsa:2048 signs with SHA-256 by default.
    expect(result.tls!.certificate).toMatchObject({ keyType: 'rsa', keyBits: 2048, keyCurve: null, signatureAlgorithm: 'sha256WithRSAEncryption' });
    expect(Math.abs(result.tls!.certificate!.daysRemaining - 30)).toBeLessThanOrEqual(1);
    expect(result.tls!.chain).toHaveLength(1);
    expect(result.tls!.chain[0].fingerprint256).toBe(result.tls!.certificate!.fingerprint256);
    expect(result.tls!.protocol).toBe('TLSv1.3');
    expect(result.tls!.cipher).toBeTruthy();
  });

  it('an IP target without servername is checked against the IP SAN and sends no SNI', async () => {
    const result = await service.probe(specFor({ protocol: 'tls', host: '127.0.0.1', port: server.port, tls: { ca: cert.certPem } }));
    expect(result).toMatchObject({ ok: true, tls: { authorized: true, servername: null } });
  });

  it('a name that does not match the certificate is not authorized', async () => {
    const result = await service.probe(
      specFor({ protocol: 'tls', host: '127.0.0.1', port: server.port, tls: { servername: 'other.test', ca: cert.certPem } }),
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'TLS', message: expect.stringMatching(/^name mismatch: the certificate is trusted but not issued for other\.test/) },
      tls: { authorized: false, verdict: 'nameMismatch', authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    });
  });

  it('SNI and ALPN reach s_server (read from its trace), and the selected ALPN is reported', async () => {
    const before = server.output().length;
    const seenSince = () => server.output().slice(before);
    const result = await service.probe(
      specFor({ protocol: 'tls', host: '127.0.0.1', port: server.port, tls: { servername: 'probe.test', ca: cert.certPem, alpn: ['h2', 'http/1.1'] } }),
    );
    expect(result).toMatchObject({ ok: true, tls: { alpn: 'h2', servername: 'probe.test' } });
    await eventually(() => /server_name\(0\)[^\n]*\n[^\n]*probe\.test/.test(seenSince()));
    expect(seenSince()).toMatch(/application_layer_protocol_negotiation\(16\)[^\n]*\n\s+h2\n\s+http\/1\.1/);
  });

  it('send/expect over TLS (s_server -rev answers reversed)', async () => {
    const result = await service.probe(
      specFor({ protocol: 'tls', host: '127.0.0.1', port: server.port, tls: { servername: 'probe.test', ca: cert.certPem }, send: 'hello\n', expect: 'olleh' }),
    );
    expect(result).toMatchObject({ ok: true, match: { matched: true }, response: { endedBy: 'match' } });
    expect(result.timings.firstByteMs).toBeGreaterThanOrEqual(0);
  });

  it('through the HTTP app as well', async () => {
    const { app } = testApp();
    const res = await app.request(
      jsonRequest('/socket/probe', { protocol: 'tls', host: '127.0.0.1', port: server.port, tls: { servername: 'probe.test', insecure: true } }),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, protocol: 'tls', tls: { authorized: false, certificate: { subject: 'CN=probe.test' } } });
  });
});

describe('TLS probes against a Node TLS server that echoes SNI and ALPN', () => {
  let cert: TestCertificate;
  let server: NodeTlsPeer;
  let plainTcp: TcpPeer;

  beforeAll(async () => {
    cert = selfSignedCertificate(30);
    server = await nodeTlsServer(cert);
    plainTcp = await lineServer('127.0.0.1', 'not tls\r\n');
  });
  afterAll(async () => {
    await server?.close();
    await plainTcp?.close();
    cert?.cleanup();
  });

  it('the server saw the SNI name and the ALPN choice', async () => {
    const result = await service.probe(
      specFor({ protocol: 'tls', host: '127.0.0.1', port: server.port, tls: { servername: 'probe.test', ca: cert.certPem, alpn: ['http/1.1'] }, expect: '\\n' }),
    );
    expect(result).toMatchObject({ ok: true, tls: { alpn: 'http/1.1', authorized: true } });
    expect(JSON.parse(result.response!.text)).toEqual({ servername: 'probe.test', alpn: 'http/1.1' });
    expect(server.seen.at(-1)).toEqual({ servername: 'probe.test', alpn: 'http/1.1' });
  });

  it('a name target sends itself as SNI by default (localhost; not in the certificate, so untrusted)', async () => {
    const result = await service.probe(specFor({ protocol: 'tls', host: 'localhost', ipFamily: 4, port: server.port, tls: { insecure: true }, expect: '\\n' }));
    expect(result).toMatchObject({ ok: true, tls: { servername: 'localhost', authorized: false } });
    expect(JSON.parse(result.response!.text)).toMatchObject({ servername: 'localhost' });
  });

  it('an IP target sends no SNI', async () => {
    const result = await service.probe(specFor({ protocol: 'tls', host: '127.0.0.1', port: server.port, tls: { insecure: true }, expect: '\\n' }));
    expect(JSON.parse(result.response!.text)).toMatchObject({ servername: false });
  });

  it('a handshake with a peer that does not speak TLS fails with TLS', async () => {
    const result = await service.probe(specFor({ protocol: 'tls', host: '127.0.0.1', port: plainTcp.port, timeoutMs: 1000 }));
    expect(result).toMatchObject({ ok: false, state: 'open', error: { code: 'TLS' } });
    expect(result.error!.message).not.toContain('\n');
  });

  it('minVersion is honoured: a TLS 1.2-only server fails a TLSv1.3 minimum with TLS', async () => {
    const legacy = await nodeTlsServer(cert, '127.0.0.1', { maxVersion: 'TLSv1.2' });
    try {
      const refused = await service.probe(specFor({ protocol: 'tls', host: '127.0.0.1', port: legacy.port, tls: { insecure: true, minVersion: 'TLSv1.3' } }));
      expect(refused).toMatchObject({ ok: false, state: 'open', error: { code: 'TLS' } });
      const accepted = await service.probe(specFor({ protocol: 'tls', host: '127.0.0.1', port: legacy.port, tls: { insecure: true } }));
      expect(accepted).toMatchObject({ ok: true, tls: { protocol: 'TLSv1.2' } });
    } finally {
      await legacy.close();
    }
  });

  it('a closed port is closed / REFUSED before any handshake', async () => {
    const port = await closedPort('tcp');
    const result = await service.probe(specFor({ protocol: 'tls', host: '127.0.0.1', port }));
    expect(result).toMatchObject({ ok: false, state: 'closed', error: { code: 'REFUSED' } });
    expect(result.tls).toBeUndefined();
  });
});
