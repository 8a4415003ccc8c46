/**
 * Per-API-key token buckets, in this instance's memory (N instances behind a load balancer
 * allow up to N × the limit in total). A key with `rateLimitPerSecond = r` refills r tokens per
 * second up to a burst of BURST_FACTOR × r (at least 1); each request takes one token.
 */
import "server-only";

/** Bucket capacity as a multiple of the per-second rate. */
export const BURST_FACTOR = 2;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The one "allowed" answer, shared: the hot path allocates nothing per request here. */
const ALLOWED: RateDecision = Object.freeze({ allowed: true });

interface Bucket {
  tokens: number;
  updatedAt: number;
  rate: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Takes one token from `keyId`'s bucket at time `now` (ms). A rate ≤ 0 refuses everything with
   * Retry-After 1. When refused, `retryAfterSeconds` is the whole seconds (≥ 1) until a token is back.
   */
  take(keyId: string, ratePerSecond: number, now: number): RateDecision {
    if (!(ratePerSecond > 0)) return { allowed: false, retryAfterSeconds: 1 };
    const capacity = Math.max(1, ratePerSecond * BURST_FACTOR);
    let bucket = this.buckets.get(keyId);
    if (!bucket || bucket.rate !== ratePerSecond) {
      bucket = { tokens: capacity, updatedAt: now, rate: ratePerSecond };
      this.buckets.set(keyId, bucket);
    } else if (now > bucket.updatedAt) {
      bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond);
      bucket.updatedAt = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return ALLOWED;
    }
    const waitMs = ((1 - bucket.tokens) / ratePerSecond) * 1000;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Drops buckets of keys that no longer exist (called when the key set changes). */
  retain(liveKeyIds: ReadonlySet<string>): void {
    for (const id of this.buckets.keys()) if (!liveKeyIds.has(id)) this.buckets.delete(id);
  }
}
