import { describe, expect, test } from "vitest";
import { DEFAULT_MODEL_PRICES } from "../domain/cost/prices";
import { modelPriceSchema, modelPricesBodySchema } from "./prices";

const price = (patch: Record<string, unknown> = {}) => ({
  provider: "openai",
  model: "gpt-4o",
  inputPerMillionUsd: 2.5,
  outputPerMillionUsd: 10,
  ...patch,
});

const firstIssue = (schema: typeof modelPriceSchema | typeof modelPricesBodySchema, body: unknown) => {
  const result = schema.safeParse(body);
  return result.success ? null : { path: result.error.issues[0].path.join("."), message: result.error.issues[0].message };
};

describe("modelPriceSchema", () => {
  test.each([
    { name: "a plain price", patch: {} },
    { name: "a free self-hosted model", patch: { provider: "vllm", model: "meta-llama/Llama-3.1-70B-Instruct", inputPerMillionUsd: 0, outputPerMillionUsd: 0 } },
    { name: "a versioned Vertex id", patch: { provider: "vertex", model: "claude-3-5-haiku@20241022" } },
  ])("accepts $name", ({ patch }) => {
    expect(firstIssue(modelPriceSchema, price(patch))).toBeNull();
  });

  test.each([
    { patch: { inputPerMillionUsd: -0.01 }, path: "inputPerMillionUsd", message: /^inputPerMillionUsd must be ≥ 0$/ },
    { patch: { outputPerMillionUsd: 20_000 }, path: "outputPerMillionUsd", message: /at most 10000/ },
    { patch: { outputPerMillionUsd: "10" }, path: "outputPerMillionUsd", message: /must be a number of US dollars per million tokens/ },
    { patch: { model: "gpt 4o" }, path: "model", message: /must not contain spaces/ },
    { patch: { provider: "" }, path: "provider", message: /^provider is required$/ },
    { patch: { provider: "open ai" }, path: "provider", message: /letters, digits/ },
    { patch: { currency: "EUR" }, path: "", message: /currency/ },
  ])("refuses $patch", ({ patch, path, message }) => {
    const issue = firstIssue(modelPriceSchema, price(patch));
    expect(issue?.path).toBe(path);
    expect(issue?.message).toMatch(message);
  });
});

describe("modelPricesBodySchema", () => {
  test("the seed table is a valid body", () => {
    expect(modelPricesBodySchema.parse({ prices: DEFAULT_MODEL_PRICES }).prices).toHaveLength(DEFAULT_MODEL_PRICES.length);
  });

  test("the same model at two providers is fine", () => {
    expect(firstIssue(modelPricesBodySchema, { prices: [price(), price({ provider: "azure" })] })).toBeNull();
  });

  test("(provider, model) twice, ignoring case, is refused where it repeats", () => {
    const issue = firstIssue(modelPricesBodySchema, {
      prices: [price(), price({ model: "gpt-4o-mini" }), price({ provider: "OpenAI", model: "GPT-4o" })],
    });
    expect(issue).toEqual({ path: "prices.2.model", message: "OpenAI/GPT-4o is already priced at prices[0]" });
  });

  test("more than 500 prices are refused", () => {
    const prices = Array.from({ length: 501 }, (_, i) => price({ model: `m-${i}` }));
    expect(firstIssue(modelPricesBodySchema, { prices })?.message).toBe("at most 500 prices");
  });
});
