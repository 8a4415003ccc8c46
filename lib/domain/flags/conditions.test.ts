import { describe, expect, test } from "vitest";
import { matchesCondition, matchesRule } from "./conditions";
import type { Condition, ConditionOperator, EvaluationContext } from "./types";

type Case = [string, unknown, Condition["value"] | undefined, EvaluationContext, boolean];

/** Builds a condition on attribute "a" and checks it against the case's context. */
const run = (operator: ConditionOperator) => (_: string, _attr: unknown, value: Condition["value"] | undefined, context: EvaluationContext, expected: boolean) => {
  const condition: Condition = value === undefined ? { attribute: "a", operator } : { attribute: "a", operator, value };
  expect(matchesCondition(condition, context)).toBe(expected);
};

/** Shorthand: a case whose context is `{ a: attr }` (or `{}` when attr is the MISSING marker). */
const MISSING = Symbol("missing");
const c = (name: string, attr: unknown, value: Condition["value"] | undefined, expected: boolean): Case => [name, attr, value, attr === MISSING ? {} : { a: attr }, expected];

describe("eq", () => {
  test.each([
    c("equal strings", "enterprise", "enterprise", true),
    c("different strings", "pro", "enterprise", false),
    c("case-sensitive", "Enterprise", "enterprise", false),
    c("equal numbers", 3, 3, true),
    c("equal booleans", true, true, true),
    c("boolean vs string", true, "true", false),
    c("numeric string attribute vs number", "42", 42, true),
    c("decimal string vs number", "42.0", 42, true),
    c("number attribute vs numeric string", 42, "42", true),
    c("exponent string is not numeric", "4.2e1", 42, false),
    c("padded string is not numeric", " 42", 42, false),
    c("non-numeric string vs number", "abc", 0, false),
    c("missing attribute", MISSING, "x", false),
    c("null attribute", null, "x", false),
    c("array attribute", ["x"], "x", false),
    c("object attribute", { x: 1 }, "x", false),
    c("NaN attribute", Number.NaN, 0, false),
    c("malformed: array value", "x", ["x"], false),
  ])("%s", run("eq"));
});

describe("neq is exactly not-eq", () => {
  test.each([
    c("different strings", "pro", "enterprise", true),
    c("equal strings", "enterprise", "enterprise", false),
    c("numeric string vs number", "42", 42, false),
    c("missing attribute matches", MISSING, "enterprise", true),
    c("null attribute matches", null, "enterprise", true),
    c("other type matches", 5, "enterprise", true),
    c("malformed: array value never matches", "x", ["y"], false),
  ])("%s", run("neq"));
});

describe("in / not_in", () => {
  test.each([
    c("member", "eu", ["us", "eu"], true),
    c("not a member", "apac", ["us", "eu"], false),
    c("numeric string member of numbers", "7", [1, 7], true),
    c("mixed-type list", true, ["true", true], true),
    c("missing attribute", MISSING, ["us"], false),
    c("array attribute", ["us"], ["us"], false),
    c("malformed: scalar value", "us", "us", false),
    c("malformed: empty list", "us", [], false),
  ])("in: %s", run("in"));

  test.each([
    c("not a member", "apac", ["us", "eu"], true),
    c("member", "eu", ["us", "eu"], false),
    c("missing attribute matches", MISSING, ["us"], true),
    c("malformed: scalar value never matches", "apac", "us", false),
  ])("not_in: %s", run("not_in"));
});

describe("string operators (case-sensitive)", () => {
  test.each([
    c("substring", "alice@acme.com", "@acme", true),
    c("case differs", "alice@ACME.com", "@acme", false),
    c("empty needle", "anything", "", true),
    c("array attribute with element", ["beta", "staff"], "beta", true),
    c("array attribute without element", ["betas"], "beta", false),
    c("number attribute", 1234, "23", false),
    c("missing attribute", MISSING, "x", false),
    c("malformed: number value", "1234", 23, false),
  ])("contains: %s", run("contains"));

  test.each([
    c("prefix", "org_123", "org_", true),
    c("not a prefix", "user_org_1", "org_", false),
    c("case differs", "ORG_1", "org_", false),
    c("number attribute", 123, "1", false),
    c("missing attribute", MISSING, "org_", false),
  ])("starts_with: %s", run("starts_with"));

  test.each([
    c("suffix", "alice@acme.com", "@acme.com", true),
    c("not a suffix", "alice@acme.com.evil", "@acme.com", false),
    c("array attribute", ["x@acme.com"], "@acme.com", false),
    c("missing attribute", MISSING, "@acme.com", false),
  ])("ends_with: %s", run("ends_with"));
});

describe("numeric operators", () => {
  test.each<[ConditionOperator, unknown, number, boolean]>([
    ["lt", 17, 18, true],
    ["lt", 18, 18, false],
    ["lte", 18, 18, true],
    ["lte", 18.5, 18, false],
    ["gt", 19, 18, true],
    ["gt", 18, 18, false],
    ["gte", 18, 18, true],
    ["gte", -1, 0, false],
    ["gt", "19", 18, true],
    ["lt", "-2.5", -2, true],
    ["gt", "19 years", 18, false],
    ["gt", true, 0, false],
    ["gt", Number.POSITIVE_INFINITY, 0, false],
    ["lt", null, 18, false],
  ])("%s: %j vs %j → %s", (operator, attr, value, expected) => {
    expect(matchesCondition({ attribute: "age", operator, value }, { age: attr })).toBe(expected);
  });

  test.each<ConditionOperator>(["lt", "lte", "gt", "gte"])("%s: missing attribute never matches", (operator) => {
    expect(matchesCondition({ attribute: "age", operator, value: 0 }, {})).toBe(false);
  });

  test("malformed: a string value never matches", () => {
    expect(matchesCondition({ attribute: "age", operator: "gt", value: "1" }, { age: 5 })).toBe(false);
  });
});

describe("semver operators", () => {
  test.each<[ConditionOperator, unknown, string, boolean]>([
    ["semver_gt", "2.1.0", "2.0.9", true],
    ["semver_gt", "2.0.0", "2.0.0", false],
    ["semver_gt", "2.10.0", "2.9.0", true],
    ["semver_gt", "2.0.0", "2.0.0-rc.1", true],
    ["semver_gt", "2.0.0-rc.2", "2.0.0-rc.1", true],
    ["semver_gt", "2.0.0-rc.10", "2.0.0-rc.9", true],
    ["semver_gt", "2.0.0-rc.1", "2.0.0", false],
    ["semver_lt", "2.0.0-rc.1", "2.0.0", true],
    ["semver_lt", "2.0.0-alpha", "2.0.0-alpha.1", true],
    ["semver_lt", "1.9.9", "2.0.0", true],
    ["semver_lt", "2.0.0+build.9", "2.0.0", false],
    ["semver_lt", "v1.0.0", "2.0.0", false],
    ["semver_lt", "1.0", "2.0.0", false],
    ["semver_lt", 1, "2.0.0", false],
    ["semver_lt", undefined, "2.0.0", false],
    ["semver_gt", "3.0.0", "not-a-version", false],
  ])("%s: %j vs %j → %s", (operator, attr, value, expected) => {
    expect(matchesCondition({ attribute: "appVersion", operator, value }, { appVersion: attr })).toBe(expected);
  });
});

describe("exists", () => {
  test.each([
    c("present, no value", "x", undefined, true),
    c("present, true", 0, true, true),
    c("present empty string counts as present", "", true, true),
    c("present, false", "x", false, false),
    c("missing, no value", MISSING, undefined, false),
    c("missing, false", MISSING, false, true),
    c("null is missing", null, false, true),
    c("malformed: string value", "x", "yes", false),
  ])("%s", run("exists"));
});

test("attributes are read from the context's own keys only", () => {
  expect(matchesCondition({ attribute: "constructor", operator: "exists" }, {})).toBe(false);
  expect(matchesCondition({ attribute: "toString", operator: "exists", value: false }, {})).toBe(true);
});

test("an unknown operator never matches", () => {
  const condition = { attribute: "a", operator: "like", value: "x" } as unknown as Condition;
  expect(matchesCondition(condition, { a: "x" })).toBe(false);
});

describe("matchesRule", () => {
  const rule = {
    conditions: [
      { attribute: "tier", operator: "eq", value: "enterprise" },
      { attribute: "region", operator: "in", value: ["eu", "us"] },
    ] satisfies Condition[],
    serve: { variant: "x" },
  };

  test.each<[EvaluationContext, boolean]>([
    [{ tier: "enterprise", region: "eu" }, true],
    [{ tier: "enterprise", region: "apac" }, false],
    [{ tier: "pro", region: "eu" }, false],
    [{}, false],
  ])("ANDs conditions: %j → %s", (context, expected) => {
    expect(matchesRule(rule, context)).toBe(expected);
  });

  test("a rule without conditions matches every context", () => {
    expect(matchesRule({ conditions: [], serve: { rollout: true } }, {})).toBe(true);
  });
});
