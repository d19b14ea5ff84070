/**
 * Duplicate suppression in one process (TRAP_DEDUP_MS, memory mode): a fingerprint seen less than
 * windowMs ago is a duplicate. Bounded: at most maxEntries fingerprints are remembered; past that the
 * oldest claim is forgotten early (so a duplicate of it would get through, never an event be lost).
 */
export class DedupWindow {
  /** Fingerprint → when its claim expires; in claim order, so the oldest come first. */
  private readonly claims = new Map<string, number>();

  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(windowMs: number, maxEntries = 100_000, now: () => number = () => performance.now()) {
    this.windowMs = windowMs;
    this.maxEntries = maxEntries;
    this.now = now;
  }

  /** True when the fingerprint is new (now claimed), false when it is a duplicate. */
  claim(fingerprint: string): boolean {
    const now = this.now();
    for (const [key, expires] of this.claims) {
      if (expires > now && this.claims.size < this.maxEntries) break;
      this.claims.delete(key);
    }
    const expires = this.claims.get(fingerprint);
    if (expires !== undefined && expires > now) return false;
    this.claims.delete(fingerprint);
    this.claims.set(fingerprint, now + this.windowMs);
    return true;
  }

  get size(): number {
    return this.claims.size;
  }
}
