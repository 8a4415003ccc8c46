import { describe, expect, test } from "vitest";
import { costOfCall, DEFAULT_MODEL_PRICES, findPrice, type ModelPrice } from "./prices";

const gpt4o: ModelPrice = { provider: "openai", model: "gpt-4o", inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 };

describe("costOfCall", () => {
  test.each([
    // 1,000 × 2.5 / 1e6 + 500 × 10 / 1e6 = 0.0025 + 0.005
    { input: 1000, output: 500, usd: 0.0075 },
    { input: 0, output: 0, usd: 0 },
    { input: 1_000_000, output: 0, usd: 2.5 },
    { input: 0, output: 1_000_000, usd: 10 },
    { input: 12_345, output: 678, usd: 0.0308625 + 0.00678 },
  ])("$input in + $output out = $$usd", ({ input, output, usd }) => {
    expect(costOfCall(gpt4o, input, output)).toBeCloseTo(usd, 12);
  });

  test("a zero-priced self-hosted model costs nothing", () => {
    const vllm = findPrice(DEFAULT_MODEL_PRICES, "vllm", "llama-3.1-70b-instruct");
    expect(vllm && costOfCall(vllm, 50_000, 5_000)).toBe(0);
  });

  test.each([
    { input: -1, output: 0, message: /inputTokens must be a finite number ≥ 0/ },
    { input: 0, output: Number.NaN, message: /outputTokens must be a finite number ≥ 0/ },
  ])("refuses $input/$output tokens", ({ input, output, message }) => {
    expect(() => costOfCall(gpt4o, input, output)).toThrow(message);
  });
});

describe("findPrice", () => {
  const prices: ModelPrice[] = [
    gpt4o,
    { provider: "azure", model: "gpt-4o", inputPerMillionUsd: 2.75, outputPerMillionUsd: 11 },
    { provider: "anthropic", model: "claude-sonnet-4", inputPerMillionUsd: 3, outputPerMillionUsd: 15 },
  ];

  test.each([
    { provider: undefined, model: "gpt-4o", found: 2.5 },
    { provider: "azure", model: "gpt-4o", found: 2.75 },
    { provider: "AZURE", model: "GPT-4o", found: 2.75 },
    { provider: null, model: "Claude-Sonnet-4", found: 3 },
    { provider: "openai", model: "claude-sonnet-4", found: undefined },
    { provider: undefined, model: "gpt-4o-2024-08-06", found: undefined },
    { provider: undefined, model: "gpt-4", found: undefined },
  ])("$provider/$model → $found", ({ provider, model, found }) => {
    expect(findPrice(prices, provider, model)?.inputPerMillionUsd).toBe(found);
  });
});

describe("DEFAULT_MODEL_PRICES", () => {
  test("has the models the seed promises, each once, with non-negative prices", () => {
    const keys = DEFAULT_MODEL_PRICES.map((p) => `${p.provider}/${p.model}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const model of ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini", "claude-sonnet-4", "claude-3-5-haiku", "claude-opus-4", "gemini-2.5-pro", "gemini-2.5-flash"]) {
      expect(findPrice(DEFAULT_MODEL_PRICES, undefined, model), model).toBeDefined();
    }
    expect(DEFAULT_MODEL_PRICES.every((p) => p.inputPerMillionUsd >= 0 && p.outputPerMillionUsd >= p.inputPerMillionUsd)).toBe(true);
  });
});
