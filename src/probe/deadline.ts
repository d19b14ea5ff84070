/**
 * One deadline per probe: its signal aborts when the time is up (reason: a `TimeoutError`)
 * or when the caller's signal aborts (reason: an `AbortError`). `dispose()` clears the timer
 * and detaches from the caller's signal, so nothing outlives the probe.
 */
export class ProbeDeadline {
  readonly at: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onParentAbort = () => this.controller.abort(new DOMException('the probe was cancelled', 'AbortError'));

  constructor(
    timeoutMs: number,
    private readonly parent?: AbortSignal,
  ) {
    this.at = performance.now() + timeoutMs;
    this.timer = setTimeout(() => this.controller.abort(new DOMException(`no result within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    if (parent?.aborted) this.onParentAbort();
    else parent?.addEventListener('abort', this.onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }
}

/** True when the signal was aborted by the caller rather than by the deadline. */
export function wasCancelled(signal: AbortSignal): boolean {
  return signal.aborted && (signal.reason as { name?: string } | undefined)?.name !== 'TimeoutError';
}

/** Waits for `promise` unless `signal` aborts first; the losing promise's rejection is swallowed. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

