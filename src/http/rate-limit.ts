import type { Redis } from 'ioredis';
import { RedisScript } from '../redis/script.ts';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Token buckets per caller, bounded in number: the least recently used caller is forgotten first. */
export class RateLimiter implements RateLimit {
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

/** The per-token rate limit: a token bucket per caller, in this process or shared by every replica. */
export interface RateLimit {
  /** Takes one token; resolves with 0 when allowed, else the seconds until a token is available. */
  take(caller: string): number | Promise<number>;
}

/**
 * The token bucket of RateLimiter, kept in Redis so that every replica draws from the same one (one
 * round trip per request). The bucket's state is a hash per caller that expires once it would be full
 * again; the time is the server's, so that replicas' clocks do not matter.
 */
const TOKEN_BUCKET_SCRIPT = new RedisScript(`
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + tonumber(now[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ms')
local tokens = tonumber(state[1]) or burst
local updated = tonumber(state[2]) or ms
tokens = math.min(burst, tokens + math.max(0, ms - updated) / 1000 * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ms', tostring(ms))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
`);

export interface SharedRateLimiterOptions {
  client: Redis;
  ratePerSecond: number;
  burst: number;
  /** REDIS_KEY_PREFIX: the buckets are `<prefix>ratelimit:<caller>`. */
  keyPrefix: string;
  /** Used while Redis cannot be reached: each replica then limits on its own. */
  fallback: RateLimiter;
}

/** The rate limit shared by all replicas through Redis (REDIS_URL set); per process while Redis is unreachable. */
export class SharedRateLimiter implements RateLimit {
  /** Requests decided by the local fallback because Redis could not be asked. */
  fallbacks = 0;
  /** Until the client's first connection succeeds or fails, requests wait a moment for it rather than be limited per process. */
  private firstConnection: Promise<void> | undefined;

  private readonly options: SharedRateLimiterOptions;

  constructor(options: SharedRateLimiterOptions) {
    this.options = options;
    if (options.client.status !== 'ready') this.firstConnection = firstConnection(options.client).then(() => (this.firstConnection = undefined));
  }

  async take(caller: string): Promise<number> {
    const { client, ratePerSecond, burst, keyPrefix, fallback } = this.options;
    if (this.firstConnection) await this.firstConnection;
    if (client.status === 'ready') {
      try {
        const wait = Number(await TOKEN_BUCKET_SCRIPT.run(client, [`${keyPrefix}ratelimit:${encodeURIComponent(caller)}`], [ratePerSecond, burst]));
        if (Number.isFinite(wait) && wait >= 0) return wait;
      } catch {
        // Redis failed to answer: decide here, as a single process would.
      }
    }
    this.fallbacks++;
    return fallback.take(caller);
  }
}

const FIRST_CONNECTION_WAIT_MS = 1_000;

/** Resolves when the client is first ready, or its first attempt failed, or after FIRST_CONNECTION_WAIT_MS. */
function firstConnection(client: Redis): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      client.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, FIRST_CONNECTION_WAIT_MS);
    timer.unref();
    client.once('ready', done);
    client.once('close', done);
  });
}
