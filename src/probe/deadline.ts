import type { EventEmitter } from 'node:events';
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

  private readonly parent?: AbortSignal;
  constructor(
    timeoutMs: number,
    parent?: AbortSignal,
  ) {
    this.parent = parent;
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

export { untilAborted } from '../abort.ts';


/**
 * Resolves with what the first of `events` (or the signal's abort) maps to, and then detaches every
 * listener it added, so that nothing fires after the phase is over.
 */
export function firstEvent<T>(
  emitter: EventEmitter,
  events: Record<string, (...args: any[]) => T>, // each event has listener arguments of its own
  signal: AbortSignal,
  onAbort: () => T,
): Promise<T> {
  return new Promise<T>((resolve) => {
    const listeners = Object.entries(events).map(([event, map]) => [event, (...args: unknown[]) => settle(map(...args))] as const);
    const abort = () => settle(onAbort());
    const settle = (value: T) => {
      for (const [event, listener] of listeners) emitter.off(event, listener);
      signal.removeEventListener('abort', abort);
      resolve(value);
    };
    for (const [event, listener] of listeners) emitter.once(event, listener);
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
  });
}
