import { afterAll, describe, expect, test } from "vitest";
import { DEFAULT_MODEL_PRICES } from "@/lib/domain/cost";
import { db } from "@/lib/server/db";
import { ingestEvents } from "@/lib/server/services/metrics/ingest-events";
import { listPrices, replacePrices, seedDefaultPrices } from "@/lib/server/services/metrics/prices";
import { createTestUser, ctx } from "../helpers/actors";
import { createRolloutFixture, event } from "./fixtures";

afterAll(async () => {
  const admin = await createTestUser(["admin"]);
  await replacePrices(admin, DEFAULT_MODEL_PRICES, ctx());
});

describe("model prices", () => {
  test("first start seeds the public list prices once, audited; later starts leave the table alone", async () => {
    // Other files of this run may have started an app (which seeds) before this one: count what this call adds.
    const seedRecords = () => db.auditRecord.count({ where: { action: "price.seed" } });
    const before = await seedRecords();
    const first = await seedDefaultPrices();
    expect(await seedRecords()).toBe(before + (first.seeded ? 1 : 0));
    const prices = await listPrices();
    expect(prices.length).toBe(DEFAULT_MODEL_PRICES.length);
    expect(prices.find((p) => p.model === "gpt-4o")).toMatchObject({ provider: "openai", inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 });
    const afterFirst = await seedRecords();
    expect(await seedDefaultPrices()).toEqual({ seeded: false, count: 0 });
    expect(await seedRecords()).toBe(afterFirst);
  });

  test("replacing the table is audited with what changed, and ingestion prices with the new table at once", async () => {
    await seedDefaultPrices();
    const admin = await createTestUser(["admin"]);
    const edited = DEFAULT_MODEL_PRICES.filter((p) => p.model !== "o3-mini").map((p) => (p.model === "gpt-4o" ? { ...p, inputPerMillionUsd: 5, outputPerMillionUsd: 20 } : p));
    const added = { provider: "mistral", model: "mistral-large", inputPerMillionUsd: 2, outputPerMillionUsd: 6 };
    const result = await replacePrices(admin, [...edited, added], ctx());
    expect(result.find((p) => p.model === "gpt-4o")).toMatchObject({ inputPerMillionUsd: 5, outputPerMillionUsd: 20 });
    expect(result.some((p) => p.model === "o3-mini")).toBe(false);

    const audit = await db.auditRecord.findFirstOrThrow({ where: { action: "price.update", actorId: admin.id }, orderBy: { id: "desc" } });
    expect((audit.after as { prices: { model: string }[] }).prices.map((p) => p.model).sort()).toEqual(["gpt-4o", "mistral-large"]);
    expect((audit.before as { prices: { model: string; inputPerMillionUsd: number }[] }).prices).toEqual(
      expect.arrayContaining([expect.objectContaining({ model: "gpt-4o", inputPerMillionUsd: 2.5 }), expect.objectContaining({ model: "o3-mini" })]),
    );

    const f = await createRolloutFixture();
    const e = event(f, { model: "gpt-4o", inputTokens: 1000, outputTokens: 100 });
    await ingestEvents({ environmentId: f.environmentId, events: [e] });
    const stored = await db.metricEvent.findUniqueOrThrow({ where: { environmentId_id: { environmentId: f.environmentId, id: e.id as string } } });
    expect(stored.costUsd).toBeCloseTo((1000 * 5 + 100 * 20) / 1e6, 12);
  });

  test("saving an unchanged table writes no audit record", async () => {
    const admin = await createTestUser(["admin"]);
    const current = (await listPrices()).map(({ provider, model, inputPerMillionUsd, outputPerMillionUsd }) => ({ provider, model, inputPerMillionUsd, outputPerMillionUsd }));
    await replacePrices(admin, current, ctx());
    expect(await db.auditRecord.count({ where: { action: "price.update", actorId: admin.id } })).toBe(0);
  });
});
