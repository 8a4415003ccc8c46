import { describe, expect, test } from "vitest";
import { blockingGates, decideAutomaticAction, formatClock, type DecisionInput } from "./decide";
import type { GateEvaluation, GateVerdict } from "./types";

const NOW = new Date("2026-11-24T14:02:31Z");
const STARTED = new Date("2026-11-24T13:00:00Z"); // 62.5 minutes before NOW

function result(name: string, verdict: GateVerdict, critical = false, sentence = `${name} numbers`): GateEvaluation {
  return {
    gateName: name,
    metric: "success_rate",
    kind: "comparison",
    critical,
    verdict,
    value: null,
    controlValue: null,
    ciLow: null,
    ciHigh: null,
    pValue: null,
    limit: null,
    samples: { control: 0, treatment: 0 },
    sentence,
  };
}

function input(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    state: "running",
    autoAdvance: true,
    results: [],
    readiness: { bakeElapsed: true, samplesReached: true },
    stageStartedAt: STARTED,
    stageRequiresApproval: false,
    isLastStage: false,
    stageName: "stage 2 (5%)",
    now: NOW,
    ...overrides,
  };
}

const pass = (n: string) => result(n, "pass");
const critFail = (n: string) => result(n, "fail", true);
const fail = (n: string) => result(n, "fail");
const inc = (n: string) => result(n, "inconclusive");

describe("decideAutomaticAction", () => {
  test.each<[string, Partial<DecisionInput>, string]>([
    ["critical failure rolls back", { results: [pass("a"), critFail("b")] }, "rollback"],
    ["critical failure rolls back even with auto-advance off", { autoAdvance: false, results: [critFail("b")] }, "rollback"],
    ["critical failure rolls back while paused", { state: "paused", results: [critFail("b")] }, "rollback"],
    ["critical failure rolls back while awaiting approval", { state: "awaiting_approval", results: [critFail("b")] }, "rollback"],
    ["critical beats non-critical", { results: [fail("a"), critFail("b")] }, "rollback"],
    ["non-critical failure pauses", { results: [pass("a"), fail("b")] }, "pause"],
    ["non-critical failure pauses a rollout awaiting approval", { state: "awaiting_approval", results: [fail("b")] }, "pause"],
    ["non-critical failure holds a paused rollout", { state: "paused", results: [fail("b")] }, "hold"],
    ["all pass + ready + auto-advance → advance", { results: [pass("a"), pass("b")] }, "advance"],
    ["no gates + ready → advance", { results: [] }, "advance"],
    ["all pass, stage needs a reviewer → request approval", { results: [pass("a")], stageRequiresApproval: true }, "request_approval"],
    ["auto-advance off → hold", { autoAdvance: false, results: [pass("a")] }, "hold"],
    ["inconclusive never passes → hold", { results: [pass("a"), inc("b")] }, "hold"],
    ["bake time not elapsed → hold", { readiness: { bakeElapsed: false, samplesReached: true }, results: [pass("a")] }, "hold"],
    ["samples not reached → hold", { readiness: { bakeElapsed: true, samplesReached: false }, results: [pass("a")] }, "hold"],
    ["promotion freeze → hold", { freeze: { active: true, reason: "budget exhausted" }, results: [pass("a")] }, "hold"],
    ["inactive freeze does not hold", { freeze: { active: false, reason: "" }, results: [pass("a")] }, "advance"],
    ["awaiting approval with all pass → hold (a reviewer decides)", { state: "awaiting_approval", results: [pass("a")] }, "hold"],
    ["paused with all pass → hold", { state: "paused", results: [pass("a")] }, "hold"],
    ["terminal state → hold", { state: "rolled_back", results: [critFail("a")] }, "hold"],
    ["draft → hold", { state: "draft", results: [critFail("a")] }, "hold"],
  ])("%s", (_name, overrides, action) => {
    expect(decideAutomaticAction(input(overrides)).action).toBe(action);
  });

  describe("deadline of inconclusive gates", () => {
    test.each<[string, number | undefined, DecisionInput["state"], string]>([
      ["before the deadline → hold", 63, "running", "hold"],
      ["at the deadline exactly → pause", 62.525, "running", "pause"], // 62 min 31.5 s
      ["past the deadline → pause", 60, "running", "pause"],
      ["no deadline → hold forever", undefined, "running", "hold"],
      ["past the deadline while awaiting approval → hold (already with a human)", 60, "awaiting_approval", "hold"],
    ])("%s", (_name, minutes, state, action) => {
      const at = new Date(STARTED.getTime() + 62.525 * 60_000);
      const d = decideAutomaticAction(input({ state, now: at, results: [inc("quality")], deadlines: { quality: minutes } }));
      expect(d.action).toBe(action);
    });

    test("the pause reason names the gate and the deadline", () => {
      const d = decideAutomaticAction(input({ results: [result("quality", "inconclusive", false, "quality score: not enough data yet")], deadlines: { quality: 60 } }));
      expect(d.reason).toBe("Paused at 14:02 UTC: gate 'quality' still inconclusive 60 min into stage 2 (5%) (quality score: not enough data yet); a person should decide");
    });

    test("a failing gate takes precedence over an overdue inconclusive one", () => {
      const d = decideAutomaticAction(input({ results: [inc("q"), critFail("s")], deadlines: { q: 1 } }));
      expect(d.action).toBe("rollback");
    });
  });

  test("the rollback reason reads like the issue's example", () => {
    const sentence = "treatment success rate 91.8% vs 98.9%, p < 0.001: significantly worse";
    const d = decideAutomaticAction(input({ results: [result("success rate", "fail", true, sentence)] }));
    expect(d.reason).toBe("Rolled back at 14:02 UTC: treatment success rate 91.8% vs 98.9%, p < 0.001, critical gate 'success rate'");
    expect(d.trigger.map((t) => t.gateName)).toEqual(["success rate"]);
  });

  test("several critical failures: the first is quoted, the others named", () => {
    const d = decideAutomaticAction(input({ results: [critFail("a"), critFail("b"), critFail("c")] }));
    expect(d.reason).toBe("Rolled back at 14:02 UTC: a numbers, critical gate 'a'; 2 more failing: 'b', 'c'");
    expect(d.trigger).toHaveLength(3);
  });

  test("advance from the last stage says Completed", () => {
    const d = decideAutomaticAction(input({ isLastStage: true, stageName: "stage 5 (100%)", results: [pass("a")] }));
    expect(d.reason).toBe("Completed at 14:02 UTC: its gate passes after the bake time at stage 5 (100%)");
  });

  test("hold says what it waits for", () => {
    const d = decideAutomaticAction(input({ readiness: { bakeElapsed: false, samplesReached: false }, results: [inc("x")], freeze: { active: true, reason: "SLO 'chat' budget exhausted" } }));
    expect(d.reason).toBe("Holding: bake time not elapsed; minimum samples not reached; inconclusive: 'x'; promotions frozen (SLO 'chat' budget exhausted)");
  });
});

test("blockingGates lists failing and inconclusive gates", () => {
  expect(blockingGates([pass("a"), fail("b"), inc("c")])).toEqual(["b", "c (inconclusive)"]);
  expect(blockingGates([pass("a")])).toEqual([]);
});

test.each([
  ["2026-11-24T14:02:59Z", "14:02 UTC"],
  ["2026-11-24T00:00:00Z", "00:00 UTC"],
  ["2026-11-24T23:59:59.999Z", "23:59 UTC"],
])("formatClock(%s) = %s", (iso, text) => {
  expect(formatClock(new Date(iso))).toBe(text);
});
