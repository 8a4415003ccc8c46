import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { bucketFor, bucketInput } from "./bucket";
import { evaluateFlag } from "./evaluate";
import { murmur3_x86_32 } from "./murmur3";
import { forbiddenRng, makeFlag, makeRollout } from "./test-fixtures";
import fixture from "./test-vectors.json";

// The published vectors of docs/evaluation.md: SDKs in other languages test against the same JSON.
const vectors = fixture.vectors;

describe("published bucketing vectors (test-vectors.json)", () => {
  test("there are at least 12, covering both arms", () => {
    expect(vectors.length).toBeGreaterThanOrEqual(12);
    expect(new Set(vectors.map((v) => v.arm))).toEqual(new Set(["control", "treatment"]));
  });

  test.each(vectors.map((v, i) => [i + 1, v] as const))("vector %i: input, hash and bucket", (_n, v) => {
    expect(bucketInput(v.flagKey, v.salt, v.stickinessValue)).toBe(v.input);
    expect(murmur3_x86_32(new TextEncoder().encode(v.input), 0)).toBe(v.murmur3);
    expect(bucketFor(v.flagKey, v.salt, v.stickinessValue)).toBe(v.bucket);
  });

  test.each(vectors.map((v, i) => [i + 1, v] as const))("vector %i: a canary rollout serves the listed arm", (_n, v) => {
    const flag = makeFlag({
      key: v.flagKey,
      rollout: makeRollout({ salt: v.salt, trafficBasisPoints: v.trafficBasisPoints }),
    });
    const result = evaluateFlag(flag, { userId: v.stickinessValue }, { rng: forbiddenRng });
    expect(result.bucket).toBe(v.bucket);
    expect(result.rollout?.arm).toBe(v.arm);
  });
});

describe("docs/evaluation.md", () => {
  const markdown = readFileSync(path.resolve(import.meta.dirname, "../../../docs/evaluation.md"), "utf8");
  const rows = markdown
    .split("\n")
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`|`$/g, "")),
    );

  test("its table lists exactly the vectors of the JSON fixture", () => {
    const fromJson = vectors.map((v, i) => [
      String(i + 1),
      v.flagKey,
      v.salt === "" ? "*(empty)*" : v.salt,
      v.stickinessValue,
      `0x${v.murmur3.toString(16).toUpperCase().padStart(8, "0")}`,
      String(v.bucket),
      String(v.trafficBasisPoints),
      v.arm,
    ]);
    expect(rows).toEqual(fromJson);
  });
});
