import { z } from "zod";

/**
 * Zod schemas of the model price table (Settings → Prices). Prices are US dollars per million
 * tokens, 0 (self-hosted) up to $10,000. The body replaces the whole table, ≤ 500 entries, and
 * (provider, model) is unique ignoring case, since lookups ignore case too.
 */

export const MAX_PRICE_PER_MILLION_USD = 10_000;
export const MAX_MODEL_PRICES = 500;

const pricePerMillion = (name: string) =>
  z
    .number({ error: `${name} must be a number of US dollars per million tokens` })
    .min(0, { error: `${name} must be ≥ 0` })
    .max(MAX_PRICE_PER_MILLION_USD, {
      error: `${name} must be at most ${MAX_PRICE_PER_MILLION_USD} (dollars per million tokens)`,
    });

export const modelPriceSchema = z.strictObject({
  provider: z
    .string({ error: "provider is required" })
    .trim()
    .min(1, { error: "provider is required" })
    .max(64, { error: "provider is at most 64 characters" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
      error: "provider must start with a letter or digit and contain only letters, digits, '.', '_' or '-'",
    }),
  // Model ids carry '/', ':' and '@' (e.g. "meta-llama/Llama-3.1-70B-Instruct", "claude-3-5-haiku@20241022").
  model: z
    .string({ error: "model is required" })
    .trim()
    .min(1, { error: "model is required" })
    .max(200, { error: "model is at most 200 characters" })
    .regex(/^\S+$/, { error: "model must not contain spaces" }),
  inputPerMillionUsd: pricePerMillion("inputPerMillionUsd"),
  outputPerMillionUsd: pricePerMillion("outputPerMillionUsd"),
});

export type ModelPriceBody = z.infer<typeof modelPriceSchema>;

/** PUT body replacing the price table. */
export const modelPricesBodySchema = z
  .strictObject({
    prices: z.array(modelPriceSchema).max(MAX_MODEL_PRICES, { error: `at most ${MAX_MODEL_PRICES} prices` }),
  })
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    body.prices.forEach((price, i) => {
      const key = `${price.provider.toLowerCase()}/${price.model.toLowerCase()}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else {
        ctx.addIssue({
          code: "custom",
          path: ["prices", i, "model"],
          message: `${price.provider}/${price.model} is already priced at prices[${first}]`,
        });
      }
    });
  });

export type ModelPricesBody = z.infer<typeof modelPricesBodySchema>;
