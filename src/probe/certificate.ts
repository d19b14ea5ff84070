import { X509Certificate } from 'node:crypto';
import { BerReader } from 'asn1-ber';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { CertificateSummary, TlsReport } from './types.ts';

const DAY_MS = 86_400_000;
/** Chains longer than this are cut: a peer controls what it sends. */
const MAX_CHAIN = 16;

export function tlsReport(socket: TLSSocket, servername: string | undefined, now = Date.now()): TlsReport {
  const peer = socket.getPeerCertificate(true);
  const chain = peerChain(peer, now);
  const authorizationError = socket.authorizationError ? String(socket.authorizationError) : null;
  return {
    protocol: socket.getProtocol() ?? null,
    cipher: socket.getCipher()?.name ?? null,
    alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
    servername: servername ?? null,
    authorized: socket.authorized,
    verdict: verdictOf(socket.authorized, authorizationError),
    authorizationError,
    certificate: chain[0] ?? null,
    chain,
  };
}

/**
 * Node checks the chain, then (when the chain is good) the name: ERR_TLS_CERT_ALTNAME_INVALID is a
 * trusted certificate for another name, which an operator reads differently from an untrusted chain.
 */
function verdictOf(authorized: boolean, error: string | null): TlsReport['verdict'] {
  if (authorized) return 'trusted';
  return error === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'nameMismatch' : 'untrusted';
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
    ...publicKeyOf(cert),
    signatureAlgorithm: signatureAlgorithmOf(der),
  };
}

/** `rsa` 2048, `ec` prime256v1, `ed25519`: what the key is, for weak-key audits. */
function publicKeyOf(cert: X509Certificate): Pick<CertificateSummary, 'keyType' | 'keyBits' | 'keyCurve'> {
  const { asymmetricKeyType, asymmetricKeyDetails } = cert.publicKey;
  return {
    keyType: asymmetricKeyType ?? 'unknown',
    keyBits: asymmetricKeyDetails?.modulusLength ?? null,
    keyCurve: asymmetricKeyDetails?.namedCurve ?? null,
  };
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

/**
 * The certificate's signatureAlgorithm (Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, … }),
 * which Node's X509Certificate does not expose: its name, or its OID when the name is not known here.
 */
export function signatureAlgorithmOf(der: Buffer): string | null {
  try {
    const reader = new BerReader(der);
    reader.readSequence();
    const tbsTag = reader.peek();
    if (tbsTag === null || reader.readSequence(tbsTag) === null) return null;
    const afterTbs = reader.offset + reader.length;
    const algorithm = new BerReader(der.subarray(afterTbs));
    if (algorithm.readSequence() === null) return null;
    const oid = algorithm.readOID();
    return oid === null ? null : (SIGNATURE_ALGORITHMS[oid] ?? oid);
  } catch {
    return null;
  }
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
