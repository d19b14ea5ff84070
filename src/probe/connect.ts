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
  if (signal.aborted) return { ok: false, outcome: { state: 'timeout', error: abortFailure(signal, 'connect') } };

  const socket = connect({ host: target.address, port: target.port, family: target.family, noDelay: true, autoSelectFamily: false });
  socket.on('error', ignoreLateErrors);
  const opened = await firstEvent<Opened>(
    socket,
    {
      connect: () => ({ ok: true, socket, connectMs: performance.now() - started }),
      error: (err: Error) => ({ ok: false, outcome: connectFailure(err) }),
    },
    signal,
    () => ({ ok: false, outcome: { state: unansweredState(performance.now() - started), error: abortFailure(signal, 'connect') } }),
  );
  if (!opened.ok) socket.destroy();
  return opened;
}

/**
 * TCP resends an unanswered SYN after its initial retransmission timeout, 1 s (RFC 6298): a connect cut
 * short before that has not given the port a fair chance, so it is a timeout, not evidence of a filter.
 */
const INITIAL_RTO_MS = 1000;

function unansweredState(waitedMs: number): ProberOutcome['state'] {
  return waitedMs < INITIAL_RTO_MS ? 'timeout' : 'filtered';
}
