import { describe, expect, test } from "vitest";
import { canonicalJson, evaluationEtag, ifNoneMatchHits } from "./etag";

const base = { endpoint: "/api/v1/evaluate", environmentId: "env", version: "7", context: { userId: "u1", tier: "pro" } };

describe("canonicalJson", () => {
  test.each([
    [{ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}'],
    [{ a: undefined, b: "x" }, '{"b":"x"}'],
    [[1, "two", true], '[1,"two",true]'],
    ["é\n", '"é\\n"'],
  ])("%j → %s", (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });
});

describe("evaluationEtag", () => {
  test("is a quoted hash that ignores key order and flag order/duplicates", () => {
    const tag = evaluationEtag({ ...base, flags: ["a", "b"] });
    expect(tag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(evaluationEtag({ ...base, context: { tier: "pro", userId: "u1" }, flags: ["b", "a", "a"] })).toBe(tag);
  });

  test.each([
    ["version", { version: "8" }],
    ["context", { context: { userId: "u2", tier: "pro" } }],
    ["environment", { environmentId: "other" }],
    ["endpoint", { endpoint: "/ofrep/v1/evaluate/flags" }],
  ])("changes with the %s", (_what, change) => {
    expect(evaluationEtag({ ...base, ...change })).not.toBe(evaluationEtag(base));
  });

  test("asking for all flags differs from asking for a list", () => {
    expect(evaluationEtag({ ...base, flags: [] })).not.toBe(evaluationEtag(base));
  });
});

describe("ifNoneMatchHits", () => {
  test.each<[string | undefined, boolean]>([
    [undefined, false],
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ["*", true],
    ['"abcd"', false],
    ["abc", false],
  ])("If-None-Match %s → %s", (header, hit) => {
    expect(ifNoneMatchHits(header, '"abc"')).toBe(hit);
  });
});
