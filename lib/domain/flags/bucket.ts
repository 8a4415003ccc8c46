import { murmur3_x86_32 } from "./murmur3";

/** Number of buckets; shares are expressed in basis points of this range. */
export const BUCKETS = 10000;

const utf8 = new TextEncoder();

/** The exact string that is hashed: `<flagKey>:<salt>:<stickinessValue>`. */
export const bucketInput = (flagKey: string, salt: string, stickinessValue: string): string =>
  `${flagKey}:${salt}:${stickinessValue}`;

/**
 * Deterministic bucket of one unit (user, session, org…) for one flag and salt (SPEC §3.4):
 * `murmur3_x86_32(utf8("<flagKey>:<salt>:<stickinessValue>"), seed 0) mod 10000`.
 * Lone UTF-16 surrogates are encoded as U+FFFD, as every standard UTF-8 encoder does.
 * @returns an integer in [0, 10000).
 */
export function bucketFor(flagKey: string, salt: string, stickinessValue: string): number {
  return murmur3_x86_32(utf8.encode(bucketInput(flagKey, salt, stickinessValue)), 0) % BUCKETS;
}
