import { describe, expect, test } from "vitest";
import { describeCommandEffect } from "./command-effects";
import { strategyTemplate } from "./templates";
import type { RolloutCommandType, RolloutMachineState, RolloutStrategy } from "./types";

const T0 = new Date("2025-03-01T10:00:00Z");
const variants = { controlVariant: "gpt-4o", treatmentVariant: "gpt-4.1" };

function at(strategy: RolloutStrategy, stage: number, overrides: Partial<RolloutMachineState> = {}): RolloutMachineState {
  return {
    state: "running",
    strategy,
    stages: strategyTemplate(strategy),
    currentStageIndex: stage,
    stageStartedAt: T0,
    createdBy: "olivia",
    pendingApproval: null,
    requiredApprovals: 1,
    ...overrides,
  };
}

const effect = (r: RolloutMachineState, c: RolloutCommandType) => describeCommandEffect(r, variants, c).effect;

describe("describeCommandEffect", () => {
  test.each([
    ["canary at 25%: rollback", at("canary", 2), "rollback", "Roll back: 25% of traffic returns to gpt-4o now."],
    ["canary at 25%: abort", at("canary", 2), "abort", "Abort: the rollout ends; 25% of traffic returns to gpt-4o now."],
    ["a draft: rollback", at("canary", 0, { state: "draft", stageStartedAt: null }), "rollback", "Roll back: it never started, so no traffic is affected."],
    ["shadow: rollback", at("shadow", 1), "rollback", "Roll back: shadow calls to gpt-4.1 stop now; users stay on gpt-4o."],
    ["canary draft: start", at("canary", 0, { state: "draft" }), "start", "Start: 1% of traffic goes to gpt-4.1 now."],
    ["blue-green draft: start", at("blue_green", 0, { state: "draft" }), "start", "Start: users stay on gpt-4o; a shadow copy of 10% of requests also calls gpt-4.1 now."],
    ["canary at 5%: promote", at("canary", 1), "promote", "Promote: gpt-4.1 goes from 5% to 25% of traffic now."],
    ["canary at 25% (gated): promote asks for approval", at("canary", 2), "promote", "Request approval: leaving stage 3 (25%) needs a reviewer's approval; the split stays as it is until then."],
    ["canary at 100%: promote completes", at("canary", 4), "promote", "Complete: gpt-4.1 becomes the flag's default for everyone and the rollout completes."],
    ["blue-green warm-up: promote switches", at("blue_green", 0), "promote", "Switch: gpt-4.1 goes from 0% to 100% of traffic now; gpt-4o stays ready for a one-click rollback."],
    ["A/B: promote completes keeping control", at("ab_test", 0), "promote", "Complete: the rollout completes and gpt-4o stays the flag's default."],
    ["shadow at 10%: promote", at("shadow", 0), "promote", "Promote: users stay on gpt-4o; a shadow copy of 50% of requests also calls gpt-4.1 now."],
    ["paused at 5%: resume", at("canary", 1, { state: "paused" }), "resume", "Resume: the rollout continues at stage 2 (5%)."],
    ["running at 5%: pause", at("canary", 1), "pause", "Pause: the split stays at 5% treatment; nothing is promoted until you resume."],
  ] as const)("%s", (_name, rollout, command, expected) => {
    expect(effect(rollout, command)).toBe(expected);
  });

  test("approve records or advances depending on the approvals still needed", () => {
    const waiting = at("canary", 2, {
      state: "awaiting_approval",
      requiredApprovals: 2,
      pendingApproval: { stageIndex: 2, requestedBy: "olivia", requestedAt: T0, approvals: [] },
    });
    expect(effect(waiting, "approve")).toBe("Approve: your approval is recorded (1 of 2); the split stays as it is.");
    const last = { ...waiting, pendingApproval: { ...waiting.pendingApproval!, approvals: [{ by: "rafael", at: T0, comment: null }] } };
    expect(effect(last, "approve")).toBe("Approve: gpt-4.1 goes from 25% to 50% of traffic now.");
    expect(effect(waiting, "pause")).toMatch(/The pending approval is withdrawn\.$/);
  });

  test.each([
    ["reject", true, "danger"],
    ["skip_analysis", true, "danger"],
    ["rollback", false, "danger"],
    ["promote", false, "primary"],
  ] as const)("%s: comment required %s, tone %s", (command, required, tone) => {
    const text = describeCommandEffect(at("canary", 1, { state: command === "reject" ? "awaiting_approval" : "running" }), variants, command);
    expect(text.commentRequired).toBe(required);
    expect(text.tone).toBe(tone);
  });
});
