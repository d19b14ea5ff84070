import type { Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { tlsReport } from './certificate.ts';
import { ignoreLateErrors, openTcp } from './connect.ts';
import { roundMs } from '../time.ts';
import { firstEvent } from './deadline.ts';
import { exchange } from './exchange.ts';
import { abortFailure, describe, errnoOf, probeError } from './outcomes.ts';
import type { ProbeContext, ProbeError, Prober, ProbeTarget, TlsProbeOptions, TlsReport } from './types.ts';

type Handshake = { ok: true; socket: TLSSocket; tlsMs: number } | { ok: false; socket: TLSSocket; error: ProbeError };

/**
 * TCP connect, TLS handshake, then the same send/expect as TCP over the secure stream.
 * The chain is always verified and reported; `insecure` only decides whether an untrusted
 * chain fails the probe. Nothing is sent to a peer whose chain is untrusted unless `insecure`.
 */
export const probeTls: Prober = async (target, options, context) => {
  const opened = await openTcp(target, context);
  if (!opened.ok) return opened.outcome;
  const connectMs = roundMs(opened.connectMs);
  const tlsOptions = options.tls ?? { insecure: false };
  let secure: TLSSocket | undefined;
  try {
    const handshake = await handshakeOver(opened.socket, target, tlsOptions, context);
    secure = handshake.socket;
    if (!handshake.ok) return { state: 'open', connectMs, error: handshake.error };
    const tlsMs = roundMs(handshake.tlsMs);
    const tls = tlsReport(handshake.socket, tlsOptions.servername);
    if (!tls.authorized && !tlsOptions.insecure) return { state: 'open', connectMs, tlsMs, tls, error: probeError('TLS', refusal(tls, target)) };
    if (!options.read) return { state: 'open', connectMs, tlsMs, tls };
    const exchanged = await exchange(handshake.socket, options, context);
    return { state: 'open', connectMs, tlsMs, tls, ...exchanged };
  } finally {
    secure?.destroy();
    opened.socket.destroy();
  }
};

function handshakeOver(raw: Socket, target: ProbeTarget, options: TlsProbeOptions, context: ProbeContext): Promise<Handshake> {
  const { signal } = context;
  const started = performance.now();
  const socket = tlsConnect({
    socket: raw,
    // Used for the identity check when no SNI name is sent (an IP target is checked against IP SANs).
    host: target.address,
    servername: options.servername,
    ALPNProtocols: options.alpn,
    ca: options.ca,
    minVersion: options.minVersion,
    // Verification still runs; we report its verdict ourselves instead of aborting the handshake.
    rejectUnauthorized: false,
  });
  socket.on('error', ignoreLateErrors);
  return firstEvent<Handshake>(
    socket,
    {
      secureConnect: () => ({ ok: true, socket, tlsMs: performance.now() - started }),
      error: (err: Error) => ({ ok: false, socket, error: probeError('TLS', `handshake failed: ${handshakeReason(err)}`) }),
      close: () => ({ ok: false, socket, error: probeError('TLS', 'the peer closed the connection during the handshake') }),
    },
    signal,
    () => ({ ok: false, socket, error: abortFailure(signal, 'TLS handshake') }),
  );
}

function refusal(tls: TlsReport, target: ProbeTarget): string {
  const reason = tls.authorizationError ?? 'unknown reason';
  if (tls.verdict === 'nameMismatch') return `name mismatch: the certificate is trusted but not issued for ${tls.servername ?? target.address} (${reason})`;
  return `the certificate is not trusted: ${reason}`;
}

/** OpenSSL messages carry source paths and line breaks; its short `reason` plus the code reads better. */
function handshakeReason(err: Error): string {
  const reason = (err as { reason?: unknown }).reason;
  const code = errnoOf(err);
  if (typeof reason === 'string' && reason) return code ? `${reason} (${code})` : reason;
  return describe(err).split('\n')[0];
}
