import { connect, type Socket } from 'node:net';
import { abortFailure, connectFailure } from './outcomes.ts';
import type { ProbeContext, ProberOutcome, ProbeTarget } from './types.ts';

export type Opened = { ok: true; socket: Socket; connectMs: number } | { ok: false; outcome: ProberOutcome };

/** Keeps a late or unobserved socket error from becoming an uncaught exception. */
export function ignoreLateErrors(): void {}

/**
 * Opens a TCP connection to the resolved address. On success the caller owns the socket and
 * must destroy it; on failure the socket is already destroyed.
 */
export function openTcp(target: ProbeTarget, context: ProbeContext): Promise<Opened> {
  const { signal } = context;
  const started = performance.now();
  if (signal.aborted) return Promise.resolve({ ok: false, outcome: { state: 'filtered', error: abortFailure(signal, 'connect') } });

  const socket = connect({ host: target.address, port: target.port, family: target.family, noDelay: true, autoSelectFamily: false });
  socket.on('error', ignoreLateErrors);
  return new Promise<Opened>((resolve) => {
    const settle = (opened: Opened) => {
      socket.off('connect', onConnect);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      if (!opened.ok) socket.destroy();
      resolve(opened);
    };
    const onConnect = () => settle({ ok: true, socket, connectMs: performance.now() - started });
    const onError = (err: Error) => settle({ ok: false, outcome: connectFailure(err) });
    const onAbort = () => settle({ ok: false, outcome: { state: 'filtered', error: abortFailure(signal, 'connect') } });
    socket.once('connect', onConnect);
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
