import { describe, expect, test } from "vitest";
import { modelPricesBodySchema } from "../schemas/prices";
import { stagePlanSchema } from "../schemas/rollouts";
import { createApiKeyBodySchema } from "../schemas/api-keys";
import { API_KEY_RULES, FLAG_RULES, PRICE_RULES, ROLLOUT_RULES, classify, humanFieldErrors, messageAt, normalisePath, zodIssues } from "./field-errors";

describe("classify reads the kind of a server message", () => {
  test.each([
    ["Too small: expected string to have >=1 characters", "missing"],
    ["a name is required", "missing"],
    ["Invalid input: expected string, received undefined", "missing"],
    ["Stage 2 traffic must be an integer from 0 to 10000; got -500", "negative"],
    ["inputPerMillionUsd must be ≥ 0", "negative"],
    ["Stage 1 traffic must be an integer from 0 to 10000; got 15000", "range"],
    ["outputPerMillionUsd must be at most 10000 (dollars per million tokens)", "range"],
    ["Invalid string: must match pattern /^[a-z0-9]/", "format"],
    ["support.model already exists", "other"],
  ])("%s → %s", (message, kind) => expect(classify({ path: "x", message })).toBe(kind));
});

describe("humanFieldErrors", () => {
  test("the server's raw messages become the form's sentences, every field at once", () => {
    const messages = humanFieldErrors(
      [
        { path: "key", message: "Too small: expected string to have >=1 characters" },
        { path: "stages[0].trafficBasisPoints", message: "Stage 1 traffic must be an integer from 0 to 10000; got 15000" },
        { path: "prices.2.inputPerMillionUsd", message: "inputPerMillionUsd must be ≥ 0" },
      ],
      { ...FLAG_RULES, ...ROLLOUT_RULES, ...PRICE_RULES },
    );
    expect(messages).toEqual({
      key: "Enter a key.",
      "stages.0.trafficBasisPoints": "Traffic must be between 0% and 100% (stage 1).",
      "prices.2.inputPerMillionUsd": "Price per million input tokens can't be negative (row 3).",
    });
  });

  test("the first problem per field wins", () => {
    const messages = humanFieldErrors(
      [
        { path: "key", message: "Too small: expected string to have >=1 characters" },
        { path: "key", message: "Invalid string: must match pattern" },
      ],
      FLAG_RULES,
    );
    expect(messages).toEqual({ key: "Enter a key." });
  });

  test("a domain sentence without a rule for its kind is kept as written", () => {
    const message = "Stage 3 serves 10% of traffic, less than stage 2 (25%): a ramp must never decrease, or users would flip back to control";
    expect(humanFieldErrors([{ path: "stages[2].trafficBasisPoints", message }], ROLLOUT_RULES)["stages.2.trafficBasisPoints"]).toBe(`${message}.`);
  });

  test("an unknown field keeps its message as a sentence", () => {
    expect(humanFieldErrors([{ path: "extra", message: "unrecognized key" }], FLAG_RULES)).toEqual({ extra: "Unrecognized key." });
  });

  test("a problem with no path is filed under _", () => {
    expect(Object.keys(humanFieldErrors([{ path: "", message: "Bad body" }], FLAG_RULES))).toEqual(["_"]);
  });
});

describe("the same zod schemas on the client", () => {
  test("a negative percentage and an oversized one are both reported", () => {
    const body = { prices: [{ provider: "openai", model: "gpt-4o", inputPerMillionUsd: -1, outputPerMillionUsd: 20_000 }] };
    const parsed = modelPricesBodySchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(humanFieldErrors(zodIssues(parsed.error!), PRICE_RULES)).toEqual({
      "prices.0.inputPerMillionUsd": "Price per million input tokens can't be negative (row 1).",
      "prices.0.outputPerMillionUsd": "Price per million output tokens can be at most $10,000 (row 1).",
    });
  });

  test("a stage at -5% is flagged as out of range", () => {
    const parsed = stagePlanSchema.safeParse({ trafficBasisPoints: -500, minBakeSeconds: 0, minSamplesPerArm: 0 });
    expect(parsed.success).toBe(false);
    const issues = zodIssues(parsed.error!).map((i) => ({ ...i, path: `stages.1.${i.path}` }));
    expect(humanFieldErrors(issues, ROLLOUT_RULES)).toEqual({ "stages.1.trafficBasisPoints": "Traffic must be between 0% and 100% (stage 2)." });
  });

  test("an empty API key form names every missing field", () => {
    const parsed = createApiKeyBodySchema.safeParse({ environment: "production", name: " ", scopes: [] });
    expect(humanFieldErrors(zodIssues(parsed.error!), API_KEY_RULES)).toEqual({ name: "Enter a name.", scopes: "Choose at least one scope." });
  });
});

test("paths: the domain's brackets become dots, and messageAt finds nested problems", () => {
  expect(normalisePath("stages[2].gates[0].bound")).toBe("stages.2.gates.0.bound");
  expect(messageAt({ "variants.1.key": "Enter a key for variant 2." }, "variants")).toBe("Enter a key for variant 2.");
  expect(messageAt({}, "variants")).toBeUndefined();
});

test("a field no rule names gets a plain sentence naming it, not the schema's wording", () => {
  expect(humanFieldErrors([{ path: "variants.1.payload.model", message: "Invalid input: expected string, received undefined", kind: "missing" }], FLAG_RULES)).toEqual({
    "variants.1.payload.model": "Enter model.",
  });
});
