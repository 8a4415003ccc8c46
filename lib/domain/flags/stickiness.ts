import { BUCKETS, bucketFor } from "./bucket";
import { readAttribute } from "./conditions";
import type { EvaluationContext, StickinessSource } from "./types";

export type StickyBucket = { bucket: number; stickiness: StickinessSource };

/**
 * The string that keeps a unit in its bucket, and where it came from:
 * 1. `context[stickinessAttribute]` if it is a non-empty string, or a finite number written as
 *    JavaScript's `String(n)` does (`42` → "42", `1.5` → "1.5"; `-0` → "0");
 * 2. else `context.targetingKey` if it is a non-empty string;
 * 3. else null (the caller falls back to a random bucket).
 * Whitespace is kept as is: " u1" and "u1" are different units.
 */
export function stickinessValueOf(context: EvaluationContext, stickinessAttribute: string): { value: string; stickiness: "attribute" | "targetingKey" } | null {
  const own = readAttribute(context, stickinessAttribute);
  if (typeof own === "string" && own.length > 0) return { value: own, stickiness: "attribute" };
  if (typeof own === "number" && Number.isFinite(own)) return { value: String(own), stickiness: "attribute" };
  const targetingKey = readAttribute(context, "targetingKey");
  if (typeof targetingKey === "string" && targetingKey.length > 0) {
    return { value: targetingKey, stickiness: "targetingKey" };
  }
  return null;
}

/**
 * A bucket drawn from `rng` for a request without a stickiness value: `floor(rng() * 10000)`,
 * clamped into [0, 9999]; a non-finite draw gives 0. Not sticky: the next request may land elsewhere.
 */
export function randomBucket(rng: () => number): number {
  const bucket = Math.floor(rng() * BUCKETS);
  if (!Number.isFinite(bucket)) return 0;
  return Math.min(Math.max(bucket, 0), BUCKETS - 1);
}

/** The bucket for one percentage decision (flag split or rollout), never throwing on odd contexts. */
export function resolveBucket(params: { flagKey: string; salt: string; stickinessAttribute: string; context: EvaluationContext; rng: () => number }): StickyBucket {
  const sticky = stickinessValueOf(params.context, params.stickinessAttribute);
  if (sticky === null) return { bucket: randomBucket(params.rng), stickiness: "random" };
  return { bucket: bucketFor(params.flagKey, params.salt, sticky.value), stickiness: sticky.stickiness };
}
