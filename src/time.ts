/** Durations in responses and logs: milliseconds with three decimals (microseconds), everywhere alike. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Milliseconds since `started` (a performance.now() reading), rounded as roundMs does. */
export function elapsedMs(started: number): number {
  return roundMs(performance.now() - started);
}
