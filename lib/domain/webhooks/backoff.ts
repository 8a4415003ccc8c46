/**
 * Retry schedule of webhook deliveries. A delivery is attempted at most MAX_DELIVERY_ATTEMPTS
 * times; after failed attempt n (1-based) the next one waits BASE × 2^(n−1): 10 s, 20 s, 40 s,
 * 80 s, 160 s, 320 s, 640 s, so the 8th and last attempt comes about 21 minutes after the first.
 */
export const MAX_DELIVERY_ATTEMPTS = 8;
export const BACKOFF_BASE_SECONDS = 10;
/** Each attempt gives the receiver this long to answer before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 5_000;

export type DeliveryDecision = { status: "succeeded" } | { status: "pending"; retryInSeconds: number } | { status: "failed" };

/** Seconds to wait after failed attempt `attempt` (1-based); attempt < 1 counts as 1. */
export function backoffSeconds(attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  return BACKOFF_BASE_SECONDS * 2 ** (n - 1);
}

/** A 2xx answer succeeds; anything else (other status, timeout, refused) is retried until the last attempt. */
export function decideAfterAttempt(attempt: number, statusCode: number | null): DeliveryDecision {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { status: "succeeded" };
  if (attempt >= MAX_DELIVERY_ATTEMPTS) return { status: "failed" };
  return { status: "pending", retryInSeconds: backoffSeconds(attempt) };
}
