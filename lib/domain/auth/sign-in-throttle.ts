/**
 * Sign-in throttling by growing delays, never by a lock that an attacker can aim at the owner.
 *
 * - Per (account, client address): `freeFailures` wrong passwords in the window cost nothing;
 *   after that each next attempt from that address waits 1 s, 2 s, 4 s … (capped) after the
 *   last failure.
 * - Per account, across addresses: once the account has collected 4 × `freeFailures` failures
 *   in the window (guessing spread over many addresses), every address gets a single free try
 *   and its delays start higher, doubling with each further multiple of failures. An address
 *   with no failure of its own for the account (the owner's, typically) is always let through,
 *   so the owner is never locked out.
 * - Per address, across accounts: 4 × `freeFailures` failures from one address (password
 *   spraying) start growing delays for every account tried from there.
 *
 * Refused attempts are not failures: hammering a refused address does not extend its delay.
 */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_DELAY_MS = 15 * 60_000;

export interface FailureCount {
  count: number;
  /** The newest failure in the window; null when count is 0. */
  last: Date | null;
}

export interface ThrottleInput {
  /** Failures for this account from this address in the window. */
  pair: FailureCount;
  /** Failures for this account from any address in the window. */
  account: number;
  /** Failures from this address for any account in the window. */
  address: FailureCount;
  freeFailures: number;
  now: Date;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: "address" | "account_address" };

/** 2^steps seconds, capped. */
export function delayMs(steps: number): number {
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.max(0, Math.min(steps, 30)));
}

/** The account-wide attack level: 0 below the threshold, then 1, 2, 3 … per doubling of failures. */
export function attackLevel(accountFailures: number, freeFailures: number): number {
  const threshold = 4 * freeFailures;
  if (accountFailures < threshold) return 0;
  return Math.floor(Math.log2(accountFailures / threshold)) + 1;
}

export function decideSignIn(input: ThrottleInput): ThrottleDecision {
  const now = input.now.getTime();
  const level = attackLevel(input.account, input.freeFailures);
  const free = level > 0 ? 1 : input.freeFailures;

  if (input.pair.count >= free && input.pair.last) {
    const until = input.pair.last.getTime() + delayMs(input.pair.count - free + level);
    if (now < until) return { allowed: false, retryAfterSeconds: Math.ceil((until - now) / 1000), reason: "account_address" };
  }
  const addressFree = 4 * input.freeFailures;
  if (input.address.count >= addressFree && input.address.last) {
    const until = input.address.last.getTime() + delayMs(input.address.count - addressFree);
    if (now < until) return { allowed: false, retryAfterSeconds: Math.ceil((until - now) / 1000), reason: "address" };
  }
  return { allowed: true };
}
