import { describe, expect, test } from "vitest";
import { murmur3_x86_32 } from "./murmur3";

const utf8 = (s: string) => new TextEncoder().encode(s);

// Published MurmurHash3_x86_32 reference values; each was also cross-checked against an
// independent implementation (Perl Digest::MurmurHash3::PurePerl).
describe("murmur3_x86_32", () => {
  test.each<[string, number, number]>([
    ["", 0, 0x00000000],
    ["", 1, 0x514e28b7],
    ["", 0xffffffff, 0x81f16f39],
    ["a", 0, 0x3c2569b2],
    ["ab", 0, 0x9bbfd75f],
    ["abc", 0, 0xb3dd93fa],
    ["abcd", 0, 0x43ed676a],
    ["hello", 0, 0x248bfa47],
    ["Hello, world!", 1234, 0xfaf6cdb3],
    ["The quick brown fox jumps over the lazy dog", 0, 0x2e4ff723],
  ])("%j with seed %i", (input, seed, expected) => {
    expect(murmur3_x86_32(utf8(input), seed)).toBe(expected);
  });

  // 2-, 3- and 4-byte UTF-8 sequences, with 0-3 trailing bytes after the last full block.
  test.each<[string, number, number]>([
    ["ü", 2, 0x7840e6aa],
    ["🚀x", 5, 0x1faceae7],
    ["日本", 6, 0xc4d9f942],
    ["naïve-user-№7", 16, 0x69d99d59],
    ["héllo wörld 日本語 🚀", 28, 0x4a8df2f4],
  ])("hashes non-ASCII %j over its %i UTF-8 bytes", (input, byteLength, expected) => {
    expect(utf8(input).length).toBe(byteLength);
    expect(murmur3_x86_32(utf8(input))).toBe(expected);
  });

  test("seed defaults to 0", () => {
    expect(murmur3_x86_32(utf8("hello"))).toBe(murmur3_x86_32(utf8("hello"), 0));
  });

  test("always returns an unsigned 32-bit integer", () => {
    for (let i = 0; i < 2000; i++) {
      const h = murmur3_x86_32(utf8(`key-${i}`), i);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
    }
  });
});
