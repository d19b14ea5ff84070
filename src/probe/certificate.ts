import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { CertificateSummary, TlsReport } from './types.ts';

const DAY_MS = 86_400_000;
/** Chains longer than this are cut: a peer controls what it sends. */
const MAX_CHAIN = 16;

export function tlsReport(socket: TLSSocket, servername: string | undefined, now = Date.now()): TlsReport {
  const peer = socket.getPeerCertificate(true);
  const chain = peerChain(peer, now);
  return {
    protocol: socket.getProtocol() ?? null,
    cipher: socket.getCipher()?.name ?? null,
    alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
    servername: servername ?? null,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    certificate: chain[0] ?? null,
    chain,
  };
}

/** Leaf first, following issuerCertificate until a self-signed root, a repeat, or the cap. */
export function peerChain(leaf: DetailedPeerCertificate, now: number): CertificateSummary[] {
  const chain: CertificateSummary[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current?.raw && chain.length < MAX_CHAIN) {
    const summary = summarizeCertificate(current.raw, now);
    if (seen.has(summary.fingerprint256)) break;
    seen.add(summary.fingerprint256);
    chain.push(summary);
    if (current.issuerCertificate === current) break;
    current = current.issuerCertificate;
  }
  return chain;
}

export function summarizeCertificate(der: Buffer, now = Date.now()): CertificateSummary {
  const cert = new X509Certificate(der);
  const validTo = new Date(cert.validTo);
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    san: subjectAltNames(cert.subjectAltName),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: validTo.toISOString(),
    daysRemaining: Math.floor((validTo.getTime() - now) / DAY_MS),
    serialNumber: cert.serialNumber.toUpperCase(),
    fingerprint256: cert.fingerprint256,
  };
}

/** Node gives one `key=value` per line; show the familiar comma-separated form. */
function distinguishedName(multiline: string): string {
  return multiline.split('\n').filter(Boolean).join(', ');
}

/** `DNS:a, IP Address:127.0.0.1` → `['DNS:a', 'IP:127.0.0.1']`, respecting Node's quoting of odd values. */
export function subjectAltNames(text: string | undefined): string[] {
  if (!text) return [];
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '\\') {
      current += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === ',' && text[i + 1] === ' ') {
      names.push(current);
      current = '';
      i++;
      continue;
    }
    current += ch;
  }
  names.push(current);
  return names.filter(Boolean).map((name) => name.replace(/^IP Address:/, 'IP:'));
}
