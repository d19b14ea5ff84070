/** Median and spread of repeated measurements. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  /** Number of repetitions. */
  n: number;
}

export function stat(samples: readonly number[]): Stat {
  if (samples.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}
