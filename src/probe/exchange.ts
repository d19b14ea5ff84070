import type { Socket } from 'node:net';
import { matchExpect, noMatch } from './matcher.ts';
import { abortFailure, probeError, streamFailure } from './outcomes.ts';
import type { ProbeContext, ProbeError, ProbeMatch, ProbeOptions, ProbeResponse } from './types.ts';
import { elapsedMs } from '../time.ts';

export interface ExchangeOutcome {
  firstByteMs?: number;
  response: ProbeResponse;
  match?: ProbeMatch;
  error?: ProbeError;
}

type EndedBy = ProbeResponse['endedBy'];

/**
 * Writes `send` (if any) on a connected stream and reads until `expect` matches, `readBytes`
 * are in, the peer closes, or the deadline passes. Does not destroy the socket: the caller does.
 */
export function exchange(socket: Socket, options: ProbeOptions, context: ProbeContext): Promise<ExchangeOutcome> {
  const { signal } = context;
  const started = performance.now();
  const collector = new ResponseCollector(options.readBytes);

  return new Promise<ExchangeOutcome>((resolve) => {
    let match: ProbeMatch | undefined;
    const finish = (endedBy: EndedBy, failure?: ProbeError) => {
      socket.off('data', onData);
      socket.off('end', onPeerClosed);
      socket.off('close', onPeerClosed);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      resolve(conclude(collector, endedBy, options, signal, match, failure));
    };
    const onData = (chunk: Buffer) => {
      collector.add(chunk, started);
      if (options.expect) {
        match = matchExpect(options.expect, collector.text());
        if (match) return finish('match');
      }
      if (collector.full) finish('readBytes');
    };
    const onPeerClosed = () => finish('peerClosed');
    const onError = (err: Error) => finish('peerClosed', streamFailure(err));
    const onAbort = () => finish('deadline');

    socket.on('data', onData);
    socket.once('end', onPeerClosed);
    socket.once('close', onPeerClosed);
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return onAbort();
    if (options.send && options.send.length > 0) socket.write(options.send);
  });
}

/** Decides success from how reading ended. Documented in the OpenAPI description of ProbeResult. */
function conclude(
  collector: ResponseCollector,
  endedBy: EndedBy,
  options: ProbeOptions,
  signal: AbortSignal,
  match: ProbeMatch | undefined,
  failure: ProbeError | undefined,
): ExchangeOutcome {
  const outcome: ExchangeOutcome = { response: collector.response(endedBy), firstByteMs: collector.firstByteMs };
  if (options.expect) outcome.match = match ?? noMatch();
  if (failure) return { ...outcome, error: failure };
  if (options.expect && !match) {
    outcome.error =
      endedBy === 'deadline'
        ? abortFailure(signal, collector.bytes === 0 ? 'read (no answer)' : 'read (answer did not match expect)')
        : probeError('NO_MATCH', `the answer did not match expect (reading ended: ${endedBy})`);
  } else if (endedBy === 'deadline' && collector.bytes === 0) {
    outcome.error = abortFailure(signal, 'read (no answer)');
  }
  return outcome;
}

/** Accumulates at most `limit` bytes. */
export class ResponseCollector {
  private readonly chunks: Buffer[] = [];
  bytes = 0;
  firstByteMs?: number;
  private cachedText?: string;

  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }

  get full(): boolean {
    return this.bytes >= this.limit;
  }

  add(chunk: Buffer, since: number): void {
    if (this.firstByteMs === undefined) this.firstByteMs = elapsedMs(since);
    const room = this.limit - this.bytes;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.bytes += kept.length;
    this.cachedText = undefined;
  }

  text(): string {
    this.cachedText ??= this.buffer().toString('utf8');
    return this.cachedText;
  }

  response(endedBy: EndedBy): ProbeResponse {
    const buffer = this.buffer();
    return { text: buffer.toString('utf8'), hex: buffer.toString('hex'), bytes: buffer.length, endedBy };
  }

  private buffer(): Buffer {
    return Buffer.concat(this.chunks, this.bytes);
  }
}
