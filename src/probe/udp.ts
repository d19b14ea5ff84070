import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { ignoreLateErrors } from './connect.ts';
import { ResponseCollector } from './exchange.ts';
import { matchExpect, noMatch } from './matcher.ts';
import { abortFailure, connectFailure, describe, probeError } from './outcomes.ts';
import type { ProbeContext, ProbeMatch, ProbeOptions, Prober, ProberOutcome, ProbeResponse, ProbeTarget } from './types.ts';

const EMPTY = Buffer.alloc(0);

/**
 * Sends the payload (an empty datagram if none) on a connected UDP socket and waits for an answer.
 * Linux reports an ICMP port unreachable on a connected socket as ECONNREFUSED: that is `closed`.
 * Silence until the deadline is `open|filtered`, as nmap says. Without `expect` the first datagram
 * ends the probe; with `expect`, datagrams accumulate until it matches or `readBytes` are in.
 */
export const probeUdp: Prober = (target, options, context) =>
  new Promise<ProberOutcome>((resolve) => {
    const socket = createSocket({ type: target.family === 6 ? 'udp6' : 'udp4' });
    socket.on('error', ignoreLateErrors);
    const exchange = new DatagramExchange(socket, options, context, (outcome) => {
      closeQuietly(socket);
      resolve(outcome);
    });
    exchange.start(target);
  });

class DatagramExchange {
  private readonly collector: ResponseCollector;
  private sentAt = 0;
  private match?: ProbeMatch;
  private done = false;

  private readonly socket: DgramSocket;
  private readonly options: ProbeOptions;
  private readonly context: ProbeContext;
  private readonly onDone: (outcome: ProberOutcome) => void;
  constructor(
    socket: DgramSocket,
    options: ProbeOptions,
    context: ProbeContext,
    onDone: (outcome: ProberOutcome) => void,
  ) {
    this.socket = socket;
    this.options = options;
    this.context = context;
    this.onDone = onDone;
    this.collector = new ResponseCollector(options.readBytes);
  }

  start(target: ProbeTarget): void {
    const { signal } = this.context;
    if (signal.aborted) return this.onAbort();
    signal.addEventListener('abort', this.onAbort, { once: true });
    this.socket.on('error', this.onError);
    this.socket.on('message', this.onMessage);
    this.socket.connect(target.port, target.address, (err?: Error) => {
      if (this.done) return; // the deadline passed while connecting; the socket is closed
      if (err) return this.onError(err);
      this.sentAt = performance.now();
      this.socket.send(this.options.send ?? EMPTY, (err) => {
        if (err) this.onError(err);
      });
    });
  }

  private readonly onMessage = (datagram: Buffer) => {
    if (this.done) return;
    this.collector.add(datagram, this.sentAt);
    const { expect } = this.options;
    if (!expect) return this.finish({ state: 'open', ...this.read('datagram') });
    this.match = matchExpect(expect, this.collector.text());
    if (this.match) return this.finish({ state: 'open', ...this.read('match') });
    if (this.collector.full) {
      this.finish({ state: 'open', ...this.read('readBytes'), error: probeError('NO_MATCH', 'the answer did not match expect (reading ended: readBytes)') });
    }
  };

  private readonly onError = (err: Error) => {
    const failure = connectFailure(err);
    if (failure.error.code === 'REFUSED') failure.error.message = 'port unreachable (ICMP): nothing listens there';
    if (failure.error.code === 'ERROR') failure.error.message = describe(err);
    this.finish({ ...failure, ...this.readIfAny() });
  };

  private readonly onAbort = () => {
    const { signal } = this.context;
    if (this.collector.bytes > 0) {
      return this.finish({ state: 'open', ...this.read('deadline'), error: abortFailure(signal, 'read (answer did not match expect)') });
    }
    this.finish({ state: 'open|filtered', ...this.readIfAny(), error: abortFailure(signal, 'read (no answer)') });
  };

  private read(endedBy: ProbeResponse['endedBy']): Pick<ProberOutcome, 'response' | 'match' | 'firstByteMs'> {
    const part: Pick<ProberOutcome, 'response' | 'match' | 'firstByteMs'> = {
      response: this.collector.response(endedBy),
      firstByteMs: this.collector.firstByteMs,
    };
    if (this.options.expect) part.match = this.match ?? noMatch();
    return part;
  }

  private readIfAny(): Pick<ProberOutcome, 'match'> {
    return this.options.expect ? { match: noMatch() } : {};
  }

  private finish(outcome: ProberOutcome): void {
    if (this.done) return;
    this.done = true;
    this.context.signal.removeEventListener('abort', this.onAbort);
    this.socket.off('message', this.onMessage);
    this.socket.off('error', this.onError);
    this.onDone(outcome);
  }
}

function closeQuietly(socket: DgramSocket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}
