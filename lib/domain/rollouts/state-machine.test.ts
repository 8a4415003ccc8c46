import { describe, expect, test } from "vitest";
import { DomainError } from "../errors";
import { allowedCommands, applyRolloutCommand, bakeRemainingSeconds, completionEffect, isActiveState, servedSplit } from "./state-machine";
import { strategyTemplate } from "./templates";
import { ROLLOUT_COMMANDS, ROLLOUT_STATES, type CommandContext, type RolloutCommand, type RolloutCommandType, type RolloutMachineState, type RolloutState, type RolloutStrategy } from "./types";

const HOUR_MS = 3_600_000;
const T0 = new Date("2025-03-01T10:00:00Z");
/** 26 h after T0: past every canary bake time. */
const NOW = new Date(T0.getTime() + 26 * HOUR_MS);
const ctx: CommandContext = { now: NOW };

/** A canary by carol, running at stage 2 (5%) since T0. */
function rollout(overrides: Partial<RolloutMachineState> = {}): RolloutMachineState {
  return {
    state: "running",
    strategy: "canary",
    stages: strategyTemplate("canary"),
    currentStageIndex: 1,
    stageStartedAt: T0,
    createdBy: "carol",
    pendingApproval: null,
    requiredApprovals: 1,
    ...overrides,
  };
}

/** Canary at stage 3 (25%, needs approval), promotion requested by `requestedBy`. */
function awaiting(requestedBy = "alice", overrides: Partial<RolloutMachineState> = {}): RolloutMachineState {
  return rollout({
    state: "awaiting_approval",
    currentStageIndex: 2,
    pendingApproval: { stageIndex: 2, requestedBy, requestedAt: T0, approvals: [] },
    ...overrides,
  });
}

/** A representative rollout in each state. */
function inState(state: RolloutState): RolloutMachineState {
  switch (state) {
    case "draft":
      return rollout({ state, currentStageIndex: 0, stageStartedAt: null });
    case "awaiting_approval":
      return awaiting();
    case "completed":
      return rollout({ state, currentStageIndex: 4 });
    default:
      return rollout({ state });
  }
}

const cmd = (type: RolloutCommandType, actorId = "bob", comment: string | null = "looks fine"): RolloutCommand => ({
  type,
  actorId,
  comment,
});

function refusalOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError, but the command was applied");
}

/** [next state, next stage index] for every allowed (state, command); absent = refused. */
const EXPECTED: Record<RolloutState, Partial<Record<RolloutCommandType, [RolloutState, number]>>> = {
  draft: { start: ["running", 0], rollback: ["rolled_back", 0], abort: ["aborted", 0] },
  running: {
    promote: ["running", 2],
    skip_analysis: ["running", 2],
    pause: ["paused", 1],
    rollback: ["rolled_back", 1],
    abort: ["aborted", 1],
  },
  paused: { resume: ["running", 1], rollback: ["rolled_back", 1], abort: ["aborted", 1] },
  awaiting_approval: {
    approve: ["running", 3],
    reject: ["running", 2],
    skip_analysis: ["running", 3],
    pause: ["paused", 2],
    rollback: ["rolled_back", 2],
    abort: ["aborted", 2],
  },
  completed: {},
  rolled_back: {},
  aborted: {},
};

const MATRIX = ROLLOUT_STATES.flatMap((state) => ROLLOUT_COMMANDS.map((command) => ({ state, command, expected: EXPECTED[state][command] ?? null })));

describe("every state × command", () => {
  test("covers 7 states × 9 commands", () => {
    expect(MATRIX).toHaveLength(63);
  });

  test.each(MATRIX.filter((c) => c.expected))("$state + $command → allowed", ({ state, command, expected }) => {
    const { next, effect } = applyRolloutCommand(inState(state), cmd(command), ctx);
    expect([next.state, next.currentStageIndex]).toEqual(expected);
    expect(effect.fromState).toBe(state);
    expect(effect.toState).toBe(next.state);
  });

  test.each(MATRIX.filter((c) => !c.expected))("$state + $command → refused", ({ state, command }) => {
    const error = refusalOf(() => applyRolloutCommand(inState(state), cmd(command), ctx));
    expect(error.code).toBe("conflict");
    expect(error.details).toMatchObject({ reason: "invalid_transition", state, command });
    expect(error.message).toMatch(/^Cannot .+ a rollout that is .+$/);
  });

  test.each(ROLLOUT_STATES)("allowedCommands(%s) lists exactly the allowed commands", (state) => {
    expect([...allowedCommands(state)].sort()).toEqual(Object.keys(EXPECTED[state]).sort());
  });

  test("the refusal message names the command and the state", () => {
    const error = refusalOf(() => applyRolloutCommand(inState("paused"), cmd("promote"), ctx));
    expect(error.message).toBe("Cannot promote a rollout that is paused");
    expect(error.details?.allowed).toEqual(["resume", "rollback", "abort"]);
  });

  test.each(MATRIX.filter((c) => c.expected))("$state + $command leaves its input untouched", ({ state, command }) => {
    const input = deepFreeze(inState(state));
    const snapshot = structuredClone(input);
    applyRolloutCommand(input, cmd(command), ctx);
    expect(input).toEqual(snapshot);
  });
});

describe("start", () => {
  test("starts stage 0 now", () => {
    const { next, effect, summary } = applyRolloutCommand(inState("draft"), cmd("start"), ctx);
    expect(next).toMatchObject({ state: "running", currentStageIndex: 0, stageStartedAt: NOW });
    expect(effect).toEqual({
      kind: "state_changed",
      fromStage: 0,
      toStage: 0,
      fromState: "draft",
      toState: "running",
      servedTrafficBasisPoints: 100,
    });
    expect(summary).toBe("Started at stage 1 (1%)");
  });

  test("is refused under a freeze", () => {
    const freeze = { active: true, reason: "error budget exhausted" };
    const error = refusalOf(() => applyRolloutCommand(inState("draft"), cmd("start"), { now: NOW, freeze }));
    expect(error.details?.reason).toBe("freeze_active");
  });
});

describe("promote", () => {
  test("moves to the next stage and restarts the stage clock", () => {
    const { next, effect, summary } = applyRolloutCommand(rollout(), cmd("promote"), ctx);
    expect(next).toMatchObject({ state: "running", currentStageIndex: 2, stageStartedAt: NOW });
    expect(effect).toMatchObject({ kind: "stage_changed", fromStage: 1, toStage: 2, servedTrafficBasisPoints: 2500 });
    expect(summary).toBe("Promoted from stage 2 (5%) to stage 3 (25%)");
  });

  test("asks for approval when the stage requires it", () => {
    const before = rollout({ currentStageIndex: 2, requiredApprovals: 2 });
    const { next, effect, summary } = applyRolloutCommand(before, cmd("promote", "alice"), ctx);
    expect(next.state).toBe("awaiting_approval");
    expect(next.currentStageIndex).toBe(2);
    expect(next.stageStartedAt).toBe(T0);
    expect(next.pendingApproval).toEqual({ stageIndex: 2, requestedBy: "alice", requestedAt: NOW, approvals: [] });
    expect(effect).toMatchObject({ kind: "state_changed", servedTrafficBasisPoints: 2500 });
    expect(summary).toBe("Promotion from stage 3 (25%) awaits 2 approvals");
  });

  test("at the last canary stage completes and makes the treatment the default", () => {
    const { next, effect, summary } = applyRolloutCommand(rollout({ currentStageIndex: 4 }), cmd("promote"), ctx);
    expect(next.state).toBe("completed");
    expect(effect).toMatchObject({ kind: "completed", fromStage: 4, toStage: 4, servedTrafficBasisPoints: 10_000 });
    expect(summary).toBe("Completed after stage 5 (100%): the treatment becomes the default");
  });

  test("at the single A/B stage completes and keeps control", () => {
    const ab = rollout({ strategy: "ab_test", stages: strategyTemplate("ab_test"), currentStageIndex: 0 });
    const { next, effect, summary } = applyRolloutCommand(ab, cmd("promote"), ctx);
    expect(next.state).toBe("completed");
    expect(effect.servedTrafficBasisPoints).toBe(0);
    expect(summary).toBe("Completed after stage 1 (50%): control stays the default");
  });

  test("blue-green switches all traffic at stage 2 and finalizes from there", () => {
    const bg = rollout({ strategy: "blue_green", stages: strategyTemplate("blue_green"), currentStageIndex: 0 });
    const switched = applyRolloutCommand(bg, cmd("promote"), ctx);
    expect(switched.summary).toBe("Promoted from stage 1 (shadow 10%) to stage 2 (100%)");
    expect(switched.effect.servedTrafficBasisPoints).toBe(10_000);
    const finalized = applyRolloutCommand(switched.next, cmd("promote"), ctx);
    expect(finalized.next.state).toBe("completed");
    expect(finalized.effect.servedTrafficBasisPoints).toBe(10_000);
  });

  test("a shadow rollout never serves the treatment, even completed", () => {
    let state = rollout({ strategy: "shadow", stages: strategyTemplate("shadow"), currentStageIndex: 0 });
    const served: number[] = [];
    while (state.state !== "completed") {
      const out = applyRolloutCommand(state, cmd("promote"), ctx);
      served.push(out.effect.servedTrafficBasisPoints);
      state = out.next;
    }
    expect(served).toEqual([0, 0, 0]);
  });
});

describe("readiness refusals", () => {
  const ready = { bakeElapsed: true, samplesReached: true, gatesFailing: [] as string[] };

  test.each([
    { readiness: { ...ready, bakeElapsed: false }, reason: "bake_time_not_elapsed", text: "bake time not elapsed" },
    { readiness: { ...ready, samplesReached: false }, reason: "samples_not_reached", text: "500 per arm required" },
    { readiness: { ...ready, gatesFailing: ["p99_latency", "error_rate"] }, reason: "gates_failing", text: "gates failing: p99_latency, error_rate" },
  ])("promote is refused with $reason", ({ readiness, reason, text }) => {
    const error = refusalOf(() => applyRolloutCommand(rollout(), cmd("promote"), { now: NOW, readiness }));
    expect(error.code).toBe("conflict");
    expect(error.details).toMatchObject({ reason, blockers: [reason] });
    expect(error.message).toContain("Cannot promote from stage 2 (5%): ");
    expect(error.message).toContain(text);
  });

  test("the bake refusal says how long is left", () => {
    const now = new Date(T0.getTime() + 3 * HOUR_MS);
    const readiness = { ...ready, bakeElapsed: false };
    const error = refusalOf(() => applyRolloutCommand(rollout(), cmd("promote"), { now, readiness }));
    expect(error.message).toBe("Cannot promote from stage 2 (5%): bake time not elapsed (24 h required, 21 h left)");
    expect(error.details).toMatchObject({ minBakeSeconds: 86_400, bakeRemainingSeconds: 21 * 3600 });
  });

  test("lists every blocker, the first as the reason", () => {
    const readiness = { bakeElapsed: false, samplesReached: false, gatesFailing: ["srm"] };
    const freeze = { active: true, reason: "SLO budget exhausted" };
    const error = refusalOf(() => applyRolloutCommand(rollout(), cmd("promote"), { now: NOW, readiness, freeze }));
    expect(error.details).toMatchObject({
      reason: "freeze_active",
      blockers: ["freeze_active", "bake_time_not_elapsed", "samples_not_reached", "gates_failing"],
      freezeReason: "SLO budget exhausted",
      gatesFailing: ["srm"],
    });
  });

  test("a ready stage is promoted", () => {
    const { next } = applyRolloutCommand(rollout(), cmd("promote"), { now: NOW, readiness: ready });
    expect(next.currentStageIndex).toBe(2);
  });

  test("skip_analysis ignores bake, samples and gates", () => {
    const readiness = { bakeElapsed: false, samplesReached: false, gatesFailing: ["error_rate"] };
    const { next, summary } = applyRolloutCommand(rollout(), cmd("skip_analysis"), { now: NOW, readiness });
    expect(next.currentStageIndex).toBe(2);
    expect(summary).toBe("Analysis skipped (emergency): promoted from stage 2 (5%) to stage 3 (25%)");
  });

  test("skip_analysis ignores required approvals and can complete", () => {
    const { next } = applyRolloutCommand(awaiting("alice", { requiredApprovals: 3 }), cmd("skip_analysis"), ctx);
    expect(next).toMatchObject({ state: "running", currentStageIndex: 3, pendingApproval: null });
    const last = applyRolloutCommand(rollout({ currentStageIndex: 4 }), cmd("skip_analysis"), ctx);
    expect(last.next.state).toBe("completed");
  });
});

describe("freeze", () => {
  const freeze = { active: true, reason: "error budget of 'support-bot availability' exhausted" };
  const frozen: CommandContext = { now: NOW, freeze };

  test.each([
    { name: "promote", before: rollout(), command: "promote" as const },
    { name: "skip_analysis", before: rollout(), command: "skip_analysis" as const },
    { name: "final approve", before: awaiting(), command: "approve" as const },
  ])("refuses $name", ({ before, command }) => {
    const error = refusalOf(() => applyRolloutCommand(before, cmd(command), frozen));
    expect(error.code).toBe("conflict");
    expect(error.details).toMatchObject({ reason: "freeze_active", freezeReason: freeze.reason });
    expect(error.message).toContain(freeze.reason);
  });

  test.each([
    { before: rollout(), command: "rollback" as const, to: "rolled_back" },
    { before: awaiting(), command: "abort" as const, to: "aborted" },
    { before: rollout(), command: "pause" as const, to: "paused" },
    { before: rollout({ state: "paused" }), command: "resume" as const, to: "running" },
    { before: awaiting(), command: "reject" as const, to: "running" },
  ])("allows $command", ({ before, command, to }) => {
    expect(applyRolloutCommand(before, cmd(command), frozen).next.state).toBe(to);
  });

  test("still records an approval that does not reach the quorum", () => {
    const { next } = applyRolloutCommand(awaiting("alice", { requiredApprovals: 2 }), cmd("approve"), frozen);
    expect(next.pendingApproval?.approvals).toHaveLength(1);
  });

  test("an inactive freeze blocks nothing", () => {
    const { next } = applyRolloutCommand(rollout(), cmd("promote"), { now: NOW, freeze: { active: false, reason: "" } });
    expect(next.currentStageIndex).toBe(2);
  });
});

describe("approvals", () => {
  test("the requester cannot approve (four eyes)", () => {
    const error = refusalOf(() => applyRolloutCommand(awaiting("alice"), cmd("approve", "alice"), ctx));
    expect(error.code).toBe("forbidden");
    expect(error.details?.reason).toBe("four_eyes");
  });

  test("when the evaluator requested, the rollout's author cannot approve", () => {
    const error = refusalOf(() => applyRolloutCommand(awaiting("system"), cmd("approve", "carol"), ctx));
    expect(error.details).toMatchObject({ reason: "four_eyes", createdBy: "carol" });
  });

  test("when the evaluator requested, another reviewer can approve", () => {
    expect(applyRolloutCommand(awaiting("system"), cmd("approve", "bob"), ctx).next.currentStageIndex).toBe(3);
  });

  test("the author may approve a promotion someone else requested", () => {
    expect(applyRolloutCommand(awaiting("alice"), cmd("approve", "carol"), ctx).next.currentStageIndex).toBe(3);
  });

  test("a missing approval record is treated as an evaluator request", () => {
    const orphan = awaiting("alice", { pendingApproval: null });
    const error = refusalOf(() => applyRolloutCommand(orphan, cmd("approve", "carol"), ctx));
    expect(error.details?.reason).toBe("four_eyes");
  });

  test("N approvals: each is recorded until the quorum promotes", () => {
    const first = applyRolloutCommand(awaiting("alice", { requiredApprovals: 2 }), cmd("approve", "bob", " ok "), ctx);
    expect(first.next.state).toBe("awaiting_approval");
    expect(first.next.pendingApproval).toMatchObject({
      requestedBy: "alice",
      approvals: [{ by: "bob", at: NOW, comment: "ok" }],
    });
    expect(first.effect).toMatchObject({ kind: "approval_recorded", fromStage: 2, toStage: 2, servedTrafficBasisPoints: 2500 });
    expect(first.summary).toBe("Approval 1 of 2 recorded for leaving stage 3 (25%)");

    const second = applyRolloutCommand(first.next, cmd("approve", "dave", null), ctx);
    expect(second.next).toMatchObject({ state: "running", currentStageIndex: 3, stageStartedAt: NOW, pendingApproval: null });
    expect(second.effect).toMatchObject({ kind: "stage_changed", servedTrafficBasisPoints: 5000 });
    expect(second.summary).toBe("Approved: promoted from stage 3 (25%) to stage 4 (50%)");
  });

  test("the same reviewer cannot approve twice", () => {
    const first = applyRolloutCommand(awaiting("alice", { requiredApprovals: 2 }), cmd("approve", "bob"), ctx);
    const error = refusalOf(() => applyRolloutCommand(first.next, cmd("approve", "bob"), ctx));
    expect(error.code).toBe("conflict");
    expect(error.details).toMatchObject({ reason: "already_approved", approvals: 1, requiredApprovals: 2 });
  });

  test("the final approval re-checks gates", () => {
    const readiness = { bakeElapsed: true, samplesReached: true, gatesFailing: ["quality"] };
    const error = refusalOf(() => applyRolloutCommand(awaiting(), cmd("approve"), { now: NOW, readiness }));
    expect(error.details?.reason).toBe("gates_failing");
  });

  test("approving the last stage completes the rollout", () => {
    const stages = strategyTemplate("canary").map((s, i) => ({ ...s, requiresApproval: i === 4 }));
    const before = awaiting("alice", {
      stages,
      currentStageIndex: 4,
      pendingApproval: { stageIndex: 4, requestedBy: "alice", requestedAt: T0, approvals: [] },
    });
    const { next, effect } = applyRolloutCommand(before, cmd("approve"), ctx);
    expect(next.state).toBe("completed");
    expect(effect.kind).toBe("completed");
  });
});

describe("comments", () => {
  test.each([
    { command: "reject" as const, before: awaiting() },
    { command: "skip_analysis" as const, before: rollout() },
  ])("$command needs a non-blank comment", ({ command, before }) => {
    for (const comment of [undefined, null, "", "   "]) {
      const error = refusalOf(() => applyRolloutCommand(before, { type: command, actorId: "bob", comment }, ctx));
      expect(error.code).toBe("invalid_input");
      expect(error.details).toMatchObject({ reason: "reason_required", field: "comment" });
    }
  });

  test("reject returns to running at the same stage, bake clock untouched", () => {
    const { next, summary } = applyRolloutCommand(awaiting(), cmd("reject", "bob", "latency looks odd"), ctx);
    expect(next).toMatchObject({ state: "running", currentStageIndex: 2, stageStartedAt: T0, pendingApproval: null });
    expect(summary).toBe("Promotion from stage 3 (25%) rejected; the rollout stays at stage 3 (25%)");
  });
});

describe("pause, resume, rollback, abort", () => {
  test("pause withdraws a pending approval and holds the split", () => {
    const { next, effect, summary } = applyRolloutCommand(awaiting(), cmd("pause"), ctx);
    expect(next.pendingApproval).toBeNull();
    expect(effect.servedTrafficBasisPoints).toBe(2500);
    expect(summary).toBe("Paused at stage 3 (25%); the traffic split is held; the pending approval is withdrawn");
  });

  test("resume keeps the stage clock so bake time counts through the pause", () => {
    const { next, summary } = applyRolloutCommand(rollout({ state: "paused" }), cmd("resume"), ctx);
    expect(next.stageStartedAt).toBe(T0);
    expect(summary).toBe("Resumed at stage 2 (5%)");
  });

  test.each([
    { name: "canary at 25%", before: rollout({ currentStageIndex: 2 }), text: "Rolled back: 25% of traffic returns to control" },
    { name: "paused canary at 5%", before: rollout({ state: "paused" }), text: "Rolled back: 5% of traffic returns to control" },
    {
      name: "shadow",
      before: rollout({ strategy: "shadow", stages: strategyTemplate("shadow"), currentStageIndex: 0 }),
      text: "Rolled back: shadow calls to the treatment stop",
    },
    { name: "draft", before: inState("draft"), text: "Rolled back: the rollout never started, no traffic was affected" },
  ])("rollback of a $name says what happens to traffic", ({ before, text }) => {
    const { next, effect, summary } = applyRolloutCommand(before, cmd("rollback"), ctx);
    expect(next.state).toBe("rolled_back");
    expect(effect.servedTrafficBasisPoints).toBe(0);
    expect(summary).toBe(text);
  });

  test("abort clears a pending approval", () => {
    const { next, summary } = applyRolloutCommand(awaiting(), cmd("abort"), ctx);
    expect(next).toMatchObject({ state: "aborted", pendingApproval: null });
    expect(summary).toBe("Aborted: 25% of traffic returns to control");
  });

  test("rollback works even on a malformed rollout that refuses everything else", () => {
    const broken = rollout({ currentStageIndex: 9 });
    expect(refusalOf(() => applyRolloutCommand(broken, cmd("promote"), ctx)).code).toBe("invalid_input");
    expect(applyRolloutCommand(broken, cmd("rollback"), ctx).next.state).toBe("rolled_back");
  });
});

describe("queries", () => {
  test.each([
    ["draft", false],
    ["running", true],
    ["paused", true],
    ["awaiting_approval", true],
    ["completed", false],
    ["rolled_back", false],
    ["aborted", false],
  ] as const)("isActiveState(%s) = %s", (state, active) => {
    expect(isActiveState(state)).toBe(active);
  });

  test.each(ROLLOUT_STATES)("servedSplit in %s", (state) => {
    const split = servedSplit(inState(state));
    const expected = isActiveState(state) ? inState(state).stages[inState(state).currentStageIndex]!.trafficBasisPoints : 0;
    expect(split).toEqual({ trafficBasisPoints: expected, shadowSampleBasisPoints: 0 });
  });

  test("servedSplit of a blue-green warm-up carries its shadow sample", () => {
    const bg = rollout({ strategy: "blue_green", stages: strategyTemplate("blue_green"), currentStageIndex: 0 });
    expect(servedSplit(bg)).toEqual({ trafficBasisPoints: 0, shadowSampleBasisPoints: 1000 });
  });

  test.each([
    ["canary", "switch_default_to_treatment"],
    ["blue_green", "switch_default_to_treatment"],
    ["shadow", "keep_control"],
    ["ab_test", "keep_control"],
  ] as [RolloutStrategy, string][])("completionEffect(%s) = %s", (strategy, effect) => {
    expect(completionEffect(strategy)).toBe(effect);
  });

  test.each([
    { startedAt: null, nowOffsetHours: 0, remaining: 86_400 },
    { startedAt: T0, nowOffsetHours: 0, remaining: 86_400 },
    { startedAt: T0, nowOffsetHours: 23.5, remaining: 1800 },
    { startedAt: T0, nowOffsetHours: 24, remaining: 0 },
    { startedAt: T0, nowOffsetHours: 48, remaining: 0 },
  ])("bakeRemainingSeconds after $nowOffsetHours h = $remaining", ({ startedAt, nowOffsetHours, remaining }) => {
    const now = new Date(T0.getTime() + nowOffsetHours * HOUR_MS);
    expect(bakeRemainingSeconds(rollout({ stageStartedAt: startedAt }), now)).toBe(remaining);
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
