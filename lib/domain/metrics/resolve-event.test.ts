import { describe, expect, test } from "vitest";
import { attributeStage, resolveEvent, STAGE_AFTER_END, STAGE_UNKNOWN, type RolloutForIngestion } from "./resolve-event";

const T = 1_800_000_000_000;
/** Stage 0 from T, stage 1 from T + 90.5 s (mid-minute), stage 2 never ran; ended at T + 600 s. */
const rollout: RolloutForIngestion = {
  id: "r1",
  flagKey: "bot.model",
  controlVariant: "old",
  treatmentVariant: "new",
  currentStageIndex: 1,
  endedAt: T + 600_000,
  stages: [
    { index: 0, startedAt: T, endedAt: T + 90_500 },
    { index: 1, startedAt: T + 90_500, endedAt: T + 600_000 },
    { index: 2, startedAt: null, endedAt: null },
  ],
};

describe("attributeStage", () => {
  test.each([
    ["the stage's first millisecond", T, 0],
    ["the last millisecond before a mid-minute promotion", T + 90_499, 0],
    ["the promotion's millisecond", T + 90_500, 1],
    ["just before the end", T + 599_999, 1],
    ["the end itself", T + 600_000, STAGE_AFTER_END],
    ["before the start", T - 1, STAGE_UNKNOWN],
  ])("by timestamp: %s", (_, t, stage) => {
    expect(attributeStage(rollout, t)).toBe(stage);
  });

  test("an echoed stage wins over the timestamp, even after the end; a stage that never ran is no known stage", () => {
    expect(attributeStage(rollout, T + 90_600, 0)).toBe(0);
    expect(attributeStage(rollout, T + 700_000, 1)).toBe(1);
    expect(attributeStage(rollout, T, 2)).toBe(STAGE_UNKNOWN);
  });

  test("a running rollout's open stage takes everything after its start", () => {
    const running = { ...rollout, endedAt: null, stages: [rollout.stages[0], { index: 1, startedAt: T + 90_500, endedAt: null }] };
    expect(attributeStage(running, T + 10 * 86_400_000)).toBe(1);
  });
});

describe("resolveEvent and the stage field", () => {
  const ctx = { now: T + 60_000, retentionDays: 30, rollout: (id: string) => (id === "r1" ? rollout : undefined), costOf: () => null };
  const base = { id: "e1", timestamp: T + 30_000, flagKey: "bot.model", variant: "new", success: true };

  test("an unknown stage index is refused, naming the field", () => {
    expect(resolveEvent({ ...base, rolloutId: "r1", stage: 3 }, ctx)).toEqual({ ok: false, errors: ['stage: rollout "r1" has no stage 3 (stages are 0-based, up to 2)'] });
  });

  test("a stage without a rolloutId is refused", () => {
    expect(resolveEvent({ ...base, stage: 0 }, ctx)).toEqual({ ok: false, errors: ["stage: only meaningful with a rolloutId"] });
  });

  test("the resolved event carries the echoed stage", () => {
    const r = resolveEvent({ ...base, rolloutId: "r1", stage: 1 }, ctx);
    expect(r.ok && r.event.stageIndex).toBe(1);
  });
});
