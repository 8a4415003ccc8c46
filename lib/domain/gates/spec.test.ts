import { describe, expect, test } from "vitest";
import { gateListSchema, gateSpecSchema, parseStoredGates } from "./spec";

describe("gateSpecSchema", () => {
  test("fills defaults for a comparison gate", () => {
    expect(gateSpecSchema.parse({ name: "success rate", kind: "comparison", metric: "success_rate" })).toEqual({
      name: "success rate",
      kind: "comparison",
      metric: "success_rate",
      test: "not_worse",
      margin: 0,
      alpha: 0.05,
      minSamples: 100,
      critical: false,
    });
  });

  test.each([
    ["comparison on srm", { name: "x", kind: "comparison", metric: "srm" }, "metric"],
    ["threshold without bound", { name: "x", kind: "threshold", metric: "error_rate" }, "bound"],
    ["rate bound above 1", { name: "x", kind: "threshold", metric: "success_rate", bound: 95 }, "bound"],
    ["promql without query", { name: "x", kind: "threshold", metric: "promql", bound: 1, operator: "<" }, "query"],
    ["promql without operator", { name: "x", kind: "threshold", metric: "promql", bound: 1, query: "up" }, "operator"],
    ["query on a non-promql gate", { name: "x", kind: "threshold", metric: "error_rate", bound: 0.05, query: "up" }, "query"],
    ["sloId on a non-budget gate", { name: "x", kind: "threshold", metric: "error_rate", bound: 0.05, sloId: "a" }, "sloId"],
    ["blank name", { name: "  ", kind: "comparison", metric: "success_rate" }, "name"],
    ["unknown key (typo)", { name: "x", kind: "comparison", metric: "success_rate", critcal: true }, ""],
    ["window of 0 minutes", { name: "x", kind: "comparison", metric: "success_rate", windowMinutes: 0 }, "windowMinutes"],
    ["negative margin", { name: "x", kind: "comparison", metric: "latency_p99", test: "ratio", margin: -0.1 }, "margin"],
    ["unknown kind", { name: "x", kind: "budget", metric: "success_rate" }, "kind"],
  ])("rejects %s", (_name, value, path) => {
    const r = gateSpecSchema.safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });

  test("gate names must be unique within a stage, case-insensitively", () => {
    const r = gateListSchema.safeParse([
      { name: "Success rate", kind: "comparison", metric: "success_rate" },
      { name: "success rate", kind: "threshold", metric: "success_rate", bound: 0.9 },
    ]);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual([1, "name"]);
  });
});

test("parseStoredGates keeps the good gates and reports the bad ones", () => {
  const { gates, errors } = parseStoredGates([
    { name: "ok", kind: "comparison", metric: "success_rate" },
    { name: "bad", kind: "threshold", metric: "error_rate" },
  ]);
  expect(gates.map((g) => g.name)).toEqual(["ok"]);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^gate 2: bound/);
  expect(parseStoredGates(null)).toEqual({ gates: [], errors: [] });
  expect(parseStoredGates({})).toEqual({ gates: [], errors: ["gates is not a list"] });
});
