import { describe, expect, test } from "vitest";
import { conditionSchema, flagDocumentSchema, flagPatchSchema, targetingRuleSchema, variantSchema } from "./flags";

/** A loosely typed document so each case can break it in its own way. */
type Doc = {
  [field: string]: unknown;
  key: string;
  kind: string;
  variants: { key: string; payload: Record<string, unknown>; description?: string }[];
  defaultVariant: string;
  fallbackVariant: string;
  stickiness: string;
  rules: { description?: string; conditions: { attribute: string; operator: string; value?: unknown }[]; serve: Record<string, unknown> }[];
};

const goodDocument = (): Doc => ({
  key: "support-bot.model",
  description: "Which model answers support chats",
  kind: "model",
  variants: [
    { key: "gpt-4o", payload: { provider: "openai", model: "gpt-4o", params: { temperature: 0.2 } } },
    { key: "claude", payload: { provider: "anthropic", model: "claude-sonnet-4" }, description: "candidate" },
  ],
  defaultVariant: "gpt-4o",
  fallbackVariant: "gpt-4o",
  stickiness: "userId",
  enabled: true,
  rules: [
    {
      description: "enterprise gets claude",
      conditions: [{ attribute: "tier", operator: "eq", value: "enterprise" }],
      serve: { variant: "claude" },
    },
    {
      conditions: [{ attribute: "beta", operator: "exists" }],
      serve: {
        split: [
          { variant: "gpt-4o", weight: 2500 },
          { variant: "claude", weight: 7500 },
        ],
      },
    },
    { conditions: [], serve: { rollout: true } },
  ],
});

/** The issues of a failed parse as "path: message" lines. */
function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

describe("flagDocumentSchema", () => {
  test("accepts a complete document unchanged", () => {
    const parsed = flagDocumentSchema.parse(goodDocument());
    expect(parsed).toEqual(goodDocument());
  });

  test("applies defaults: kind json, stickiness userId, enabled true, no rules", () => {
    const parsed = flagDocumentSchema.parse({
      key: "a",
      variants: [{ key: "on", payload: { anything: [1, 2] } }],
      defaultVariant: "on",
      fallbackVariant: "on",
    });
    expect(parsed).toMatchObject({ kind: "json", stickiness: "userId", enabled: true, rules: [] });
  });

  test("accepts a prompt flag with integer promptVersion and template", () => {
    const doc = {
      key: "financial-summary.prompt",
      kind: "prompt",
      variants: [{ key: "v5", payload: { promptVersion: 5, template: "Summarize {{doc}}" } }],
      defaultVariant: "v5",
      fallbackVariant: "v5",
    };
    expect(flagDocumentSchema.safeParse(doc).success).toBe(true);
  });

  test.each<[string, (d: Doc) => void, string, string]>([
    [
      "uppercase flag key",
      (d) => {
        d.key = "Support-Bot";
      },
      "key",
      "lowercase",
    ],
    [
      "flag key starting with a dot",
      (d) => {
        d.key = ".x";
      },
      "key",
      "flag key must start",
    ],
    [
      "flag key longer than 128",
      (d) => {
        d.key = "a".repeat(129);
      },
      "key",
      "128",
    ],
    [
      "variant key with a space",
      (d) => {
        d.variants[0].key = "gpt 4o";
      },
      "variants.0.key",
      "variant key must start",
    ],
    [
      "variant key longer than 64",
      (d) => {
        d.variants[1].key = "c".repeat(65);
      },
      "variants.1.key",
      "64",
    ],
    [
      "duplicate variant key",
      (d) => {
        d.variants[1].key = "gpt-4o";
      },
      "variants.1.key",
      'duplicate variant key "gpt-4o"',
    ],
    [
      "no variants",
      (d) => {
        d.variants = [];
      },
      "variants",
      ">=1",
    ],
    [
      "51 variants",
      (d) => {
        d.variants = Array.from({ length: 51 }, (_, i) => ({ key: `v${i}`, payload: { provider: "p", model: "m" } }));
      },
      "variants",
      "<=50",
    ],
    [
      "payload that is an array",
      (d) => {
        d.variants[0].payload = [1] as unknown as Record<string, unknown>;
      },
      "variants.0.payload",
      "expected record",
    ],
    [
      "payload over 32 KiB",
      (d) => {
        d.variants[0].payload = { provider: "p", model: "m", pad: "x".repeat(33_000) };
      },
      "variants.0.payload",
      "limit is 32768",
    ],
    [
      "model payload without provider",
      (d) => {
        d.variants[1].payload = { model: "m" };
      },
      "variants.1.payload.provider",
      "expected string",
    ],
    [
      "model payload with non-object params",
      (d) => {
        d.variants[0].payload.params = 3;
      },
      "variants.0.payload.params",
      "expected record",
    ],
    [
      "unknown defaultVariant",
      (d) => {
        d.defaultVariant = "gpt-5";
      },
      "defaultVariant",
      'unknown variant "gpt-5"',
    ],
    [
      "unknown fallbackVariant",
      (d) => {
        d.fallbackVariant = "nope";
      },
      "fallbackVariant",
      'unknown variant "nope"',
    ],
    [
      "rule serving an unknown variant",
      (d) => {
        d.rules[0].serve = { variant: "mistral" };
      },
      "rules.0.serve.variant",
      'unknown variant "mistral"',
    ],
    [
      "split naming an unknown variant",
      (d) => {
        d.rules[1].serve = {
          split: [
            { variant: "gpt-4o", weight: 5000 },
            { variant: "x", weight: 5000 },
          ],
        };
      },
      "rules.1.serve.split.1.variant",
      'unknown variant "x"',
    ],
    [
      "split weights not summing to 10000",
      (d) => {
        d.rules[1].serve = {
          split: [
            { variant: "gpt-4o", weight: 5000 },
            { variant: "claude", weight: 4000 },
          ],
        };
      },
      "rules.1.serve.split",
      "got 9000",
    ],
    [
      "fractional split weight",
      (d) => {
        d.rules[1].serve = {
          split: [
            { variant: "gpt-4o", weight: 5000.5 },
            { variant: "claude", weight: 4999.5 },
          ],
        };
      },
      "rules.1.serve.split.0.weight",
      "int",
    ],
    [
      "same variant twice in a split",
      (d) => {
        d.rules[1].serve = {
          split: [
            { variant: "claude", weight: 5000 },
            { variant: "claude", weight: 5000 },
          ],
        };
      },
      "rules.1.serve.split.1.variant",
      "appears twice",
    ],
    [
      "serve with two choices",
      (d) => {
        d.rules[0].serve = { variant: "claude", rollout: true };
      },
      "rules.0.serve",
      "exactly one",
    ],
    [
      "empty serve",
      (d) => {
        d.rules[0].serve = {};
      },
      "rules.0.serve",
      "got none",
    ],
    [
      "rollout: false",
      (d) => {
        d.rules[2].serve = { rollout: false };
      },
      "rules.2.serve.rollout",
      "expected true",
    ],
    [
      "unknown operator",
      (d) => {
        d.rules[0].conditions[0].operator = "like";
      },
      "rules.0.conditions.0.operator",
      "Invalid option",
    ],
    [
      "in with a string",
      (d) => {
        d.rules[0].conditions[0] = { attribute: "tier", operator: "in", value: "enterprise" };
      },
      "rules.0.conditions.0.value",
      '"in" takes an array',
    ],
    [
      "not_in with an empty array",
      (d) => {
        d.rules[0].conditions[0] = { attribute: "tier", operator: "not_in", value: [] };
      },
      "rules.0.conditions.0.value",
      '"not_in" takes an array',
    ],
    [
      "gt with a string",
      (d) => {
        d.rules[0].conditions[0] = { attribute: "age", operator: "gt", value: "18" };
      },
      "rules.0.conditions.0.value",
      '"gt" takes a finite number',
    ],
    [
      "semver_lt with an invalid version",
      (d) => {
        d.rules[0].conditions[0] = { attribute: "app", operator: "semver_lt", value: "v1.2" };
      },
      "rules.0.conditions.0.value",
      '"semver_lt" takes a semantic version',
    ],
    [
      "exists with a string",
      (d) => {
        d.rules[0].conditions[0] = { attribute: "beta", operator: "exists", value: "yes" };
      },
      "rules.0.conditions.0.value",
      '"exists" takes no value, true or false',
    ],
    [
      "eq without a value",
      (d) => {
        d.rules[0].conditions[0] = { attribute: "tier", operator: "eq" };
      },
      "rules.0.conditions.0.value",
      '"eq" takes a string',
    ],
    [
      "condition value that is an object",
      (d) => {
        d.rules[0].conditions[0].value = { a: 1 };
      },
      "rules.0.conditions.0.value",
      "array of those",
    ],
    [
      "empty attribute name",
      (d) => {
        d.rules[0].conditions[0].attribute = "";
      },
      "rules.0.conditions.0.attribute",
      ">=1",
    ],
    [
      "21 conditions",
      (d) => {
        d.rules[0].conditions = Array.from({ length: 21 }, () => ({ attribute: "a", operator: "eq", value: 1 }));
      },
      "rules.0.conditions",
      "<=20",
    ],
    [
      "101 rules",
      (d) => {
        d.rules = Array.from({ length: 101 }, () => ({ conditions: [], serve: { variant: "claude" } }));
      },
      "rules",
      "<=100",
    ],
    [
      "stickiness longer than 64",
      (d) => {
        d.stickiness = "s".repeat(65);
      },
      "stickiness",
      "<=64",
    ],
    [
      "unknown kind",
      (d) => {
        d.kind = "image";
      },
      "kind",
      "Invalid option",
    ],
    [
      "misspelled field",
      (d) => {
        d.defaultVarient = "gpt-4o";
      },
      "",
      'Unrecognized key: "defaultVarient"',
    ],
    [
      "enabled as a string",
      (d) => {
        d.enabled = "yes";
      },
      "enabled",
      "expected boolean",
    ],
  ])("rejects %s at the right path", (_name, mutate, path, message) => {
    const doc = goodDocument();
    mutate(doc);
    const issues = issuesOf(flagDocumentSchema.safeParse(doc));
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  test("prompt payload needs an integer promptVersion >= 1 and a template", () => {
    const doc = {
      key: "p",
      kind: "prompt",
      variants: [{ key: "v0", payload: { promptVersion: 0 } }],
      defaultVariant: "v0",
      fallbackVariant: "v0",
    };
    const paths = issuesOf(flagDocumentSchema.safeParse(doc)).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["variants.0.payload.promptVersion", "variants.0.payload.template"]));
  });
});

describe("component schemas", () => {
  test("variantSchema accepts a json payload with any shape", () => {
    expect(variantSchema.parse({ key: "A:b.c_d-1", payload: { nested: { list: [1, "x", null] } } })).toBeTruthy();
  });

  test.each([
    { attribute: "tier", operator: "in", value: ["a", 1, true] },
    { attribute: "app", operator: "semver_gt", value: "2.0.0-rc.1" },
    { attribute: "beta", operator: "exists", value: false },
    { attribute: "beta", operator: "exists" },
    { attribute: "age", operator: "lte", value: -3.5 },
    { attribute: "email", operator: "ends_with", value: "@acme.com" },
  ])("conditionSchema accepts %o", (condition) => {
    expect(conditionSchema.safeParse(condition).success).toBe(true);
  });

  test("targetingRuleSchema reports nested condition paths relative to the rule", () => {
    const issues = issuesOf(
      targetingRuleSchema.safeParse({
        conditions: [
          { attribute: "a", operator: "eq", value: 1 },
          { attribute: "b", operator: "lt", value: "x" },
        ],
        serve: { variant: "v" },
      }),
    );
    expect(issues).toEqual([{ path: "conditions.1.value", message: '"lt" takes a finite number value' }]);
  });
});

describe("flagPatchSchema", () => {
  test("accepts any subset of fields and applies no defaults", () => {
    expect(flagPatchSchema.parse({ enabled: false })).toEqual({ enabled: false });
    expect(flagPatchSchema.parse({})).toEqual({});
  });

  test("refuses to change the key", () => {
    expect(issuesOf(flagPatchSchema.safeParse({ key: "other" }))).toEqual([{ path: "key", message: "key cannot be changed; create a new flag instead" }]);
  });

  test("checks references against variants sent in the same patch", () => {
    const patch = { variants: [{ key: "a", payload: {} }], defaultVariant: "b" };
    expect(issuesOf(flagPatchSchema.safeParse(patch))).toEqual([{ path: "defaultVariant", message: 'unknown variant "b"' }]);
  });

  test("validates field shapes like the document schema", () => {
    const issues = issuesOf(flagPatchSchema.safeParse({ rules: [{ conditions: [], serve: { variant: "x y" } }] }));
    expect(issues.map((i) => i.path)).toEqual(["rules.0.serve.variant"]);
  });
});
