/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby's reference `MurmurHash3_x86_32`).
 * Written by hand so the bucketing has no dependency and every SDK can reproduce it bit for bit.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

const rotl32 = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** The reference finalizer: forces all bits of the hash to avalanche. */
const fmix32 = (input: number): number => {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

const scrambleBlock = (k: number): number => Math.imul(rotl32(Math.imul(k, C1), 15), C2);

/**
 * Hashes the first `length` bytes of `bytes` (read as little-endian 32-bit blocks) with `seed`.
 * @returns an unsigned 32-bit integer in [0, 2^32).
 */
export function murmur3_x86_32(bytes: Uint8Array, seed = 0, length = bytes.length): number {
  const tailStart = length - (length % 4);
  let h = seed >>> 0;

  for (let i = 0; i < tailStart; i += 4) {
    const k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    h ^= scrambleBlock(k);
    h = rotl32(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }

  // The 1-3 trailing bytes, little-endian, without the mixing step of full blocks.
  let tail = 0;
  switch (length & 3) {
    case 3:
      tail ^= bytes[tailStart + 2] << 16;
    // falls through
    case 2:
      tail ^= bytes[tailStart + 1] << 8;
    // falls through
    case 1:
      tail ^= bytes[tailStart];
      h ^= scrambleBlock(tail);
  }

  h ^= length;
  return fmix32(h);
}
