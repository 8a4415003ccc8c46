import { describe, expect, test } from "vitest";
import { db } from "@/lib/server/db";
import { ingestEvents } from "@/lib/server/services/metrics/ingest-events";
import { PRUNE_BATCH_SIZE, pruneExpiredEvents } from "@/lib/server/services/metrics/prune-events";
import { createRolloutFixture, event } from "./fixtures";

describe("retention pruning", () => {
  test("deletes raw events received before the retention window, in batches, and keeps rollups", async () => {
    const f = await createRolloutFixture();
    const now = Date.now();
    const old = new Date(now - 8 * 86_400_000);
    const total = PRUNE_BATCH_SIZE + 7;
    await db.metricEvent.createMany({
      data: Array.from({ length: total }, (_, i) => ({
        environmentId: f.environmentId,
        id: `old-${f.rolloutId}-${i}`,
        receivedAt: old,
        occurredAt: old,
        flagKey: f.flagKey,
        variant: f.control,
        rolloutId: f.rolloutId,
        arm: "control" as const,
        success: true,
      })),
    });
    // Just inside the window (7 days minus a minute): kept.
    const recent = new Date(now - 7 * 86_400_000 + 60_000);
    await db.metricEvent.create({
      data: { environmentId: f.environmentId, id: `edge-${f.rolloutId}`, receivedAt: recent, occurredAt: recent, flagKey: f.flagKey, variant: f.control, success: true },
    });
    const fresh = await ingestEvents({ environmentId: f.environmentId, events: [event(f)] });
    expect(fresh.accepted).toBe(1);
    const rollupsBefore = await db.metricRollup.count({ where: { rolloutId: f.rolloutId } });

    const deleted = await pruneExpiredEvents({ now: new Date(now), retentionDays: 7 });
    expect(deleted).toBeGreaterThanOrEqual(total);
    expect(await db.metricEvent.count({ where: { environmentId: f.environmentId } })).toBe(2);
    expect(await db.metricRollup.count({ where: { rolloutId: f.rolloutId } })).toBe(rollupsBefore);
    expect(await pruneExpiredEvents({ now: new Date(now), retentionDays: 7 })).toBe(0);
  });

  test("an event older than the retention window cannot come back in after pruning", async () => {
    const f = await createRolloutFixture();
    const now = Date.now();
    const e = event(f, { timestamp: now - 7 * 86_400_000 - 1000 });
    const result = await ingestEvents({ environmentId: f.environmentId, events: [e], now: new Date(now), retentionDays: 7 });
    expect(result.accepted).toBe(0);
    expect(result.rejected[0].errors[0]).toMatch(/retention window/);
  });
});
