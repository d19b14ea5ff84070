interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Token buckets per caller, bounded in number: the least recently used caller is forgotten first. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  private readonly ratePerSecond: number;
  private readonly burst: number;
  private readonly maxCallers: number;
  private readonly now: () => number;
  constructor(
    ratePerSecond: number,
    burst: number,
    maxCallers = 10_000,
    now: () => number = () => performance.now(),
  ) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.maxCallers = maxCallers;
    this.now = now;
  }

  /** Takes one token; returns 0 when allowed, else the seconds until a token is available. */
  take(caller: string): number {
    const now = this.now();
    const bucket = this.buckets.get(caller) ?? { tokens: this.burst, updatedMs: now };
    this.buckets.delete(caller);
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.ratePerSecond);
    bucket.updatedMs = now;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > this.maxCallers) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.ratePerSecond;
  }
}
