import { connect, type Socket } from 'node:net';
import { firstEvent } from './deadline.ts';
import { abortFailure, connectFailure } from './outcomes.ts';
import type { ProbeContext, ProberOutcome, ProbeTarget } from './types.ts';

export type Opened = { ok: true; socket: Socket; connectMs: number } | { ok: false; outcome: ProberOutcome };

/** Keeps a late or unobserved socket error from becoming an uncaught exception. */
export function ignoreLateErrors(): void {}

/**
 * Opens a TCP connection to the resolved address. On success the caller owns the socket and
 * must destroy it; on failure the socket is already destroyed.
 */
export async function openTcp(target: ProbeTarget, context: ProbeContext): Promise<Opened> {
  const { signal } = context;
  const started = performance.now();
  if (signal.aborted) return { ok: false, outcome: { state: 'filtered', error: abortFailure(signal, 'connect') } };

  const socket = connect({ host: target.address, port: target.port, family: target.family, noDelay: true, autoSelectFamily: false });
  socket.on('error', ignoreLateErrors);
  const opened = await firstEvent<Opened>(
    socket,
    {
      connect: () => ({ ok: true, socket, connectMs: performance.now() - started }),
      error: (err: Error) => ({ ok: false, outcome: connectFailure(err) }),
    },
    signal,
    () => ({ ok: false, outcome: { state: 'filtered', error: abortFailure(signal, 'connect') } }),
  );
  if (!opened.ok) socket.destroy();
  return opened;
}
