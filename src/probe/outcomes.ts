import { wasCancelled } from './deadline.ts';
import type { ProbeError, ProbeErrorCode, ProbeState } from './types.ts';

interface Classified {
  state: ProbeState;
  error: ProbeError;
}

const UNREACHABLE_ERRNOS = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
const RESET_ERRNOS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export function probeError(code: ProbeErrorCode, message: string): ProbeError {
  return { code, message };
}

/** A socket error while connecting: nmap's reading of the port state plus our stable code. */
export function connectFailure(err: unknown): Classified {
  const errno = errnoOf(err);
  if (errno === 'ECONNREFUSED') return { state: 'closed', error: probeError('REFUSED', 'connection refused') };
  if (errno === 'ETIMEDOUT') return { state: 'filtered', error: probeError('TIMEOUT', 'connect timed out') };
  if (UNREACHABLE_ERRNOS.has(errno)) return { state: 'filtered', error: probeError('UNREACHABLE', `unreachable (${errno})`) };
  if (RESET_ERRNOS.has(errno)) return { state: 'closed', error: probeError('RESET', `connection reset while connecting (${errno})`) };
  return { state: 'error', error: probeError('ERROR', describe(err)) };
}

/** A socket error after the connection was established: the port is open. */
export function streamFailure(err: unknown): ProbeError {
  const errno = errnoOf(err);
  if (RESET_ERRNOS.has(errno)) return probeError('RESET', `connection reset by peer (${errno})`);
  if (errno === 'ETIMEDOUT') return probeError('TIMEOUT', 'connection timed out');
  return probeError('ERROR', describe(err));
}

/** The deadline (or the caller) stopped a phase. */
export function abortFailure(signal: AbortSignal, phase: string): ProbeError {
  return wasCancelled(signal)
    ? probeError('CANCELLED', `cancelled during ${phase}`)
    : probeError('TIMEOUT', `timed out during ${phase}`);
}

export function errnoOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

export function describe(err: unknown): string {
  const errno = errnoOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return errno && !message.includes(errno) ? `${message} (${errno})` : message;
}
