import { describe, expect, test } from "vitest";
import { ExposureCounter, type ExposureCell } from "./exposures";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 30); // 30 s into a minute
const MINUTE = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("ExposureCounter", () => {
  test("aggregates per rollout, arm and minute", async () => {
    const c = new ExposureCounter();
    c.record("r1", 0, "control", T0);
    c.record("r1", 0, "control", T0 + 29_000);
    c.record("r1", 0, "treatment", T0);
    c.record("r1", 0, "control", T0 + 30_000); // next minute
    const written: ExposureCell[] = [];
    expect(await c.flush(async (cells) => void written.push(...cells))).toBe(3);
    expect(written).toEqual(
      expect.arrayContaining([
        { rolloutId: "r1", stage: 0, arm: "control", minute: MINUTE, count: 2 },
        { rolloutId: "r1", stage: 0, arm: "treatment", minute: MINUTE, count: 1 },
        { rolloutId: "r1", stage: 0, arm: "control", minute: MINUTE + 60_000, count: 1 },
      ]),
    );
    expect(c.pendingCells()).toEqual([]);
  });

  test("a promotion inside a minute splits the minute's counts by the stage that served them", async () => {
    const c = new ExposureCounter();
    c.record("r1", 0, "control", T0);
    c.record("r1", 0, "treatment", T0 + 1);
    c.record("r1", 1, "treatment", T0 + 2);
    c.record("r1", 1, "treatment", T0 + 3);
    expect(c.pendingCells()).toEqual(
      expect.arrayContaining([
        { rolloutId: "r1", stage: 0, arm: "control", minute: MINUTE, count: 1 },
        { rolloutId: "r1", stage: 0, arm: "treatment", minute: MINUTE, count: 1 },
        { rolloutId: "r1", stage: 1, arm: "treatment", minute: MINUTE, count: 2 },
      ]),
    );
    expect(c.pendingCells()).toHaveLength(3);
  });

  test("a failed flush merges its counts back with what arrived meanwhile", async () => {
    const c = new ExposureCounter();
    c.record("r1", 0, "control", T0);
    await expect(
      c.flush(async () => {
        c.record("r1", 0, "control", T0); // counted while the write is in flight
        throw new Error("database down");
      }),
    ).rejects.toThrow("database down");
    expect(c.pendingCells()).toEqual([{ rolloutId: "r1", stage: 0, arm: "control", minute: MINUTE, count: 2 }]);
  });

  test("memory is bounded: cells beyond the limit are dropped and counted", () => {
    const c = new ExposureCounter(2);
    c.record("r1", 0, "control", T0);
    c.record("r2", 0, "control", T0);
    c.record("r3", 0, "control", T0);
    c.record("r1", 0, "control", T0); // existing cells still count
    expect(c.pendingCells()).toHaveLength(2);
    expect(c.dropped).toBe(1);
    expect(c.pendingCells().find((x) => x.rolloutId === "r1")?.count).toBe(2);
  });

  test("flushing nothing does not call the writer", async () => {
    const c = new ExposureCounter();
    expect(
      await c.flush(async () => {
        throw new Error("must not be called");
      }),
    ).toBe(0);
  });
});
