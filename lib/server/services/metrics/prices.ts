/**
 * The model price table (Settings → Model prices): list, replace (audited), first-start seeding
 * from the public list prices, and the cached lookup ingestion prices events with.
 */
import "server-only";
import { DEFAULT_MODEL_PRICES, costOfCall, findPrice, type ModelPrice } from "../../../domain/cost";
import { DomainError } from "../../../domain/errors";
import type { Actor } from "../../auth/actor";
import { SYSTEM_ACTOR } from "../../auth/actor";
import { recordAudit } from "../../audit/record-audit";
import { db } from "../../db";
import { singleton } from "../../singleton";
import { ADVISORY_LOCKS } from "../../db/advisory-locks";

/** How long an instance prices events from its cached table; edits elsewhere show up within this. */
export const PRICE_CACHE_MS = 30_000;
const SEEDED_SETTING = "prices.seeded";

export interface StoredModelPrice extends ModelPrice {
  updatedAt: string;
}

const cache = () => singleton("modelPriceCache", () => ({ prices: null as ModelPrice[] | null, loadedAt: 0 }));

function toPrice(row: { provider: string; model: string; inputPerMillionUsd: number; outputPerMillionUsd: number }): ModelPrice {
  return { provider: row.provider, model: row.model, inputPerMillionUsd: row.inputPerMillionUsd, outputPerMillionUsd: row.outputPerMillionUsd };
}

export async function listPrices(): Promise<StoredModelPrice[]> {
  const rows = await db.modelPrice.findMany({ orderBy: [{ provider: "asc" }, { model: "asc" }] });
  return rows.map((r) => ({ ...toPrice(r), updatedAt: r.updatedAt.toISOString() }));
}

/**
 * Replaces the whole table with `prices` in one audited transaction (action `price.update`,
 * before/after = the rows that changed, were added or removed). Provider and model names are
 * trimmed; the same provider + model twice (case-insensitive) is refused.
 */
export async function replacePrices(actor: Actor, prices: readonly ModelPrice[], context: { requestId: string }): Promise<StoredModelPrice[]> {
  const next = prices.map((p) => ({ ...p, provider: p.provider.trim(), model: p.model.trim() }));
  const keyOf = (p: ModelPrice) => `${p.provider.toLowerCase()}/${p.model.toLowerCase()}`;
  const seen = new Set<string>();
  for (const p of next) {
    if (seen.has(keyOf(p))) throw new DomainError("invalid_input", `The price of ${p.provider}/${p.model} is listed twice.`, { field: "prices" });
    seen.add(keyOf(p));
  }
  await db.$transaction(async (tx) => {
    const before = (await tx.modelPrice.findMany()).map(toPrice);
    const beforeByKey = new Map(before.map((p) => [keyOf(p), p]));
    const nextByKey = new Map(next.map((p) => [keyOf(p), p]));
    const removed = before.filter((p) => !nextByKey.has(keyOf(p)));
    const changed = next.filter((p) => {
      const old = beforeByKey.get(keyOf(p));
      return !old || old.inputPerMillionUsd !== p.inputPerMillionUsd || old.outputPerMillionUsd !== p.outputPerMillionUsd || old.provider !== p.provider || old.model !== p.model;
    });
    if (removed.length === 0 && changed.length === 0) return;
    for (const p of removed) await tx.modelPrice.deleteMany({ where: { provider: p.provider, model: p.model } });
    for (const p of changed) {
      const old = beforeByKey.get(keyOf(p));
      if (old) await tx.modelPrice.deleteMany({ where: { provider: old.provider, model: old.model } });
      await tx.modelPrice.create({ data: p });
    }
    await recordAudit(tx, {
      actor,
      action: "price.update",
      resourceType: "model_price",
      resourceId: "table",
      before: { prices: [...removed, ...changed.flatMap((p) => beforeByKey.get(keyOf(p)) ?? [])] },
      after: { prices: changed },
      context: { ...context, removed: removed.map((p) => `${p.provider}/${p.model}`) },
    });
  });
  forgetPrices();
  return listPrices();
}

/**
 * First start: fills an empty table with DEFAULT_MODEL_PRICES, audited as the system. Runs once
 * per database (the `prices.seeded` setting), so an admin who empties the table keeps it empty.
 */
export async function seedDefaultPrices(): Promise<{ seeded: boolean; count: number }> {
  return db
    .$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.seedPrices})`);
      if (await tx.setting.findUnique({ where: { key: SEEDED_SETTING } })) return { seeded: false, count: 0 };
      await tx.setting.create({ data: { key: SEEDED_SETTING, value: true } });
      if ((await tx.modelPrice.count()) > 0) return { seeded: false, count: 0 };
      await tx.modelPrice.createMany({ data: DEFAULT_MODEL_PRICES.map((p) => ({ ...p })) });
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: "price.seed",
        resourceType: "model_price",
        resourceId: "table",
        after: { prices: DEFAULT_MODEL_PRICES.map((p) => ({ ...p })) },
        context: { reason: "first start: public list prices" },
      });
      return { seeded: true, count: DEFAULT_MODEL_PRICES.length };
    })
    .finally(forgetPrices);
}

export function forgetPrices(): void {
  const c = cache();
  c.prices = null;
  c.loadedAt = 0;
}

async function cachedPrices(now = Date.now()): Promise<ModelPrice[]> {
  const c = cache();
  if (!c.prices || now - c.loadedAt > PRICE_CACHE_MS) {
    c.prices = (await db.modelPrice.findMany()).map(toPrice);
    c.loadedAt = now;
  }
  return c.prices;
}

/**
 * The price of a call by model name. `model` may name the provider too: "anthropic/claude-sonnet-4"
 * or "anthropic:claude-sonnet-4"; otherwise the first entry with that model name is used.
 */
export function priceOf(prices: readonly ModelPrice[], model: string): ModelPrice | undefined {
  const m = /^([^/:]+)[/:](.+)$/.exec(model.trim());
  return (m ? findPrice(prices, m[1], m[2]) : undefined) ?? findPrice(prices, undefined, model);
}

/** A cost function over the cached table: null when the model has no price. */
export async function priceLookup(): Promise<(model: string, inputTokens: number, outputTokens: number) => number | null> {
  const prices = await cachedPrices();
  const memo = new Map<string, ModelPrice | null>();
  return (model, inputTokens, outputTokens) => {
    let price = memo.get(model);
    if (price === undefined) {
      price = priceOf(prices, model) ?? null;
      memo.set(model, price);
    }
    return price ? costOfCall(price, inputTokens, outputTokens) : null;
  };
}
