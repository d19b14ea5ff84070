/**
 * Text for a streamed body (NDJSON), written in batches: once `maxChars` are waiting, or once the oldest waiting
 * text has waited `maxDelayMs`. A walk of snmpd's whole tree sends one reply's lines about every half
 * millisecond; written one reply at a time, each write is a trip through the web stream, a TCP segment and a
 * wake-up of the client. In batches of 16 K characters: 6–9% less CPU in the service and 43% less in the
 * client per walk (measured for issue 17), and no line waits longer than `maxDelayMs` when the agent is slow.
 */
export class BatchedWriter {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  private readonly write: (text: string) => Promise<unknown>;
  private readonly maxChars: number;
  private readonly maxDelayMs: number;
  constructor(write: (text: string) => Promise<unknown>, { maxChars, maxDelayMs }: { maxChars: number; maxDelayMs: number }) {
    this.write = write;
    this.maxChars = maxChars;
    this.maxDelayMs = maxDelayMs;
  }

  /**
   * Adds text. When that fills the batch, the batch is written and the promise is the write's (the caller's
   * backpressure); otherwise the text waits, and the promise is already resolved.
   */
  add(text: string): Promise<unknown> {
    this.pending += text;
    if (this.pending.length >= this.maxChars) return this.flush();
    this.timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
    return Promise.resolve();
  }

  /** Writes what is waiting now (writes keep their order: the stream queues them). */
  flush(): Promise<unknown> {
    this.stopTimer();
    if (this.pending === '') return Promise.resolve();
    const text = this.pending;
    this.pending = '';
    return this.write(text);
  }

  /** Drops what is waiting (the client is gone). */
  discard(): void {
    this.stopTimer();
    this.pending = '';
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
