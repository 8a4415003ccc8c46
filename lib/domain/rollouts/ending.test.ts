import { describe, expect, test } from "vitest";
import { rolloutEnding, stageDisplayStatus, type EndingTransition } from "./ending";

const system = { type: "system" as const, label: "Rollgate (automatic)" };
const ana = { type: "user" as const, label: "Ana (ana@example.com)" };
const t = (toState: string, actor: EndingTransition["actor"], comment: string | null = null, summary = "x"): EndingTransition => ({
  toState,
  actor,
  comment,
  summary,
  createdAt: "2026-01-01T14:02:00.000Z",
});

describe("rolloutEnding", () => {
  test("an automatic rollback leads with the evaluator's reason: the critical gate and its numbers", () => {
    const reason = "Rolled back at 14:02 UTC: treatment error rate 12.1% (n = 1,047), bound ≤ 5%, critical gate 'error rate'";
    const e = rolloutEnding({ state: "rolled_back", endedAt: "2026-01-01T14:02:01.000Z", lastAutomaticAction: reason, history: [t("running", ana), t("rolled_back", system)] })!;
    expect(e).toMatchObject({ state: "rolled_back", tone: "danger", title: "Rolled back automatically", reason, at: "2026-01-01T14:02:01.000Z", marker: "Rolled back" });
  });

  test("a person's rollback or abort names who and why; without a comment, says none was given", () => {
    expect(rolloutEnding({ state: "aborted", endedAt: null, lastAutomaticAction: null, history: [t("aborted", ana, " wrong prompt ")] })).toMatchObject({
      title: "Aborted by Ana (ana@example.com)",
      reason: "“wrong prompt”",
      at: "2026-01-01T14:02:00.000Z",
      tone: "warning",
    });
    // An older automatic pause does not become the reason of a later manual rollback.
    const e = rolloutEnding({ state: "rolled_back", endedAt: null, lastAutomaticAction: "Paused at 13:00 UTC: …", history: [t("rolled_back", ana, null, "Rolled back to gpt-4o")] })!;
    expect(e.reason).toBe("Rolled back to gpt-4o (no reason given)");
  });

  test("a completion is a success; a running rollout has no ending", () => {
    expect(rolloutEnding({ state: "completed", endedAt: null, lastAutomaticAction: "Completed at 15:00 UTC: every gate passed", history: [t("completed", system)] })).toMatchObject({
      tone: "success",
      title: "Completed automatically",
      reason: "Completed at 15:00 UTC: every gate passed",
    });
    expect(rolloutEnding({ state: "running", endedAt: null, lastAutomaticAction: null, history: [] })).toBeNull();
  });
});

describe("stageDisplayStatus", () => {
  test("no stage is current once the rollout has ended", () => {
    expect(stageDisplayStatus("rolled_back", "current")).toBe("ended_here");
    expect(stageDisplayStatus("aborted", "next")).toBe("not_reached");
    expect(stageDisplayStatus("rolled_back", "done")).toBe("done");
    expect(stageDisplayStatus("completed", "current")).toBe("done");
    expect(stageDisplayStatus("running", "current")).toBe("current");
    expect(stageDisplayStatus("paused", "next")).toBe("next");
  });
});
