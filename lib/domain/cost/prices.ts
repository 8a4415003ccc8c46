/** The model price table: dollars per million input and output tokens. */
import { DomainError } from "../errors";

export interface ModelPrice {
  provider: string;
  model: string;
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
}

/**
 * Seed prices: providers' public list prices (standard tier, no batch or cache discounts, base
 * context tier) as published in early 2026 by OpenAI, Anthropic and Google. They are a starting
 * point only: admins edit the table in Settings, and the stored table is what costing uses.
 * The self-hosted vLLM model is priced at 0: its cost is the GPU bill, not tokens.
 */
export const DEFAULT_MODEL_PRICES: readonly ModelPrice[] = [
  { provider: "openai", model: "gpt-4o", inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 },
  { provider: "openai", model: "gpt-4o-mini", inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 },
  { provider: "openai", model: "gpt-4.1", inputPerMillionUsd: 2, outputPerMillionUsd: 8 },
  { provider: "openai", model: "gpt-4.1-mini", inputPerMillionUsd: 0.4, outputPerMillionUsd: 1.6 },
  { provider: "openai", model: "gpt-4.1-nano", inputPerMillionUsd: 0.1, outputPerMillionUsd: 0.4 },
  { provider: "openai", model: "o3-mini", inputPerMillionUsd: 1.1, outputPerMillionUsd: 4.4 },
  { provider: "anthropic", model: "claude-opus-4", inputPerMillionUsd: 15, outputPerMillionUsd: 75 },
  { provider: "anthropic", model: "claude-sonnet-4", inputPerMillionUsd: 3, outputPerMillionUsd: 15 },
  { provider: "anthropic", model: "claude-3-5-haiku", inputPerMillionUsd: 0.8, outputPerMillionUsd: 4 },
  // Gemini 2.5 Pro: the rate for prompts up to 200k tokens (longer prompts cost more).
  { provider: "google", model: "gemini-2.5-pro", inputPerMillionUsd: 1.25, outputPerMillionUsd: 10 },
  { provider: "google", model: "gemini-2.5-flash", inputPerMillionUsd: 0.3, outputPerMillionUsd: 2.5 },
  { provider: "vllm", model: "llama-3.1-70b-instruct", inputPerMillionUsd: 0, outputPerMillionUsd: 0 },
];

/**
 * The price of `model` (exact name, case-insensitive; "GPT-4o" finds "gpt-4o" but "gpt-4o-2024-08-06"
 * does not). With `provider` (also case-insensitive) only that provider's entries match; without
 * it the first entry with that model name wins. undefined when nothing matches.
 */
export function findPrice(prices: readonly ModelPrice[], provider: string | null | undefined, model: string): ModelPrice | undefined {
  const wantedModel = model.trim().toLowerCase();
  const wantedProvider = provider?.trim().toLowerCase() || undefined;
  return prices.find((p) => p.model.toLowerCase() === wantedModel && (wantedProvider === undefined || p.provider.toLowerCase() === wantedProvider));
}

/**
 * Dollars for one call: (input × input price + output × output price) / 1,000,000.
 * Throws `invalid_input` for negative or non-finite token counts.
 */
export function costOfCall(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  for (const [name, value] of [
    ["inputTokens", inputTokens],
    ["outputTokens", outputTokens],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new DomainError("invalid_input", `${name} must be a finite number ≥ 0, got ${value}`);
    }
  }
  return (inputTokens * price.inputPerMillionUsd + outputTokens * price.outputPerMillionUsd) / 1_000_000;
}
