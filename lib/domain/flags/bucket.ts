import { murmur3_x86_32 } from "./murmur3";

/** Number of buckets; shares are expressed in basis points of this range. */
export const BUCKETS = 10000;

const utf8 = new TextEncoder();
let scratch = new Uint8Array(256);

/** The exact string that is hashed: `<flagKey>:<salt>:<stickinessValue>`. */
export const bucketInput = (flagKey: string, salt: string, stickinessValue: string): string => `${flagKey}:${salt}:${stickinessValue}`;

/**
 * Deterministic bucket of one unit (user, session, org…) for one flag and salt (docs/evaluation.md):
 * `murmur3_x86_32(utf8("<flagKey>:<salt>:<stickinessValue>"), seed 0) mod 10000`.
 * Lone UTF-16 surrogates are encoded as U+FFFD, as every standard UTF-8 encoder does.
 * @returns an integer in [0, 10000).
 */
export function bucketFor(flagKey: string, salt: string, stickinessValue: string): number {
  const input = bucketInput(flagKey, salt, stickinessValue);
  // Encoded into one reused buffer: a fresh Uint8Array per call was most of an evaluation's
  // cost (allocation and GC). UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (input.length * 3 > scratch.length) scratch = new Uint8Array(input.length * 3);
  const { written } = utf8.encodeInto(input, scratch);
  return murmur3_x86_32(scratch, 0, written) % BUCKETS;
}
