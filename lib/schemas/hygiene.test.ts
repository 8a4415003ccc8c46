import { describe, expect, test } from "vitest";
import { int32, textIssues, textProblem } from "./hygiene";

describe("textProblem", () => {
  test.each([
    ["plain", null],
    ["emoji 🚀 paired surrogates", null],
    ["nul \u0000 inside", "must not contain NUL characters"],
    ["lone high \ud800", "must not contain unpaired UTF-16 surrogates"],
    ["lone low \udc00 x", "must not contain unpaired UTF-16 surrogates"],
  ])("%j → %j", (s, expected) => {
    expect(textProblem(s)).toBe(expected);
  });
});

describe("textIssues", () => {
  test("names the path of every bad value and key, at any depth", () => {
    const issues = textIssues({ name: "ok", variants: [{ key: "a" }, { key: "b\u0000" }], payload: { "\ud800": 1, deep: ["\udfff"] } });
    expect(issues).toEqual([
      { path: "variants.1.key", message: "must not contain NUL characters" },
      { path: "payload.<key>", message: "field name must not contain unpaired UTF-16 surrogates" },
      { path: "payload.deep.0", message: "must not contain unpaired UTF-16 surrogates" },
    ]);
  });

  test("clean input, numbers and null have no issues", () => {
    expect(textIssues({ a: 1, b: null, c: [true, "x"], d: { e: "é" } })).toEqual([]);
    expect(textIssues("\u0000", ["cursor"])).toEqual([{ path: "cursor", message: "must not contain NUL characters" }]);
  });
});

test("int32 refuses what a Postgres integer cannot hold", () => {
  expect(int32().safeParse(2_147_483_647).success).toBe(true);
  expect(int32().safeParse(2_147_483_648).success).toBe(false);
  expect(int32().safeParse(-2_147_483_649).success).toBe(false);
});
