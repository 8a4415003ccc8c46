import { describe, expect, test } from "vitest";
import { ROLE_PERMISSIONS, type Role } from "../auth/permissions";
import { COMMAND_PERMISSIONS, commandAvailability } from "./command-availability";
import { strategyTemplate } from "./templates";
import { ROLLOUT_COMMANDS, type RolloutMachineState } from "./types";

const T0 = new Date("2025-03-01T10:00:00Z");
const as = (id: string, role: Role) => ({ id, permissions: new Set<string>(ROLE_PERMISSIONS[role]) });

function awaiting(requestedBy: string, overrides: Partial<RolloutMachineState> = {}): RolloutMachineState {
  return {
    state: "awaiting_approval",
    strategy: "canary",
    stages: strategyTemplate("canary"),
    currentStageIndex: 2,
    stageStartedAt: T0,
    createdBy: "olivia",
    pendingApproval: { stageIndex: 2, requestedBy, requestedAt: T0, approvals: [] },
    requiredApprovals: 1,
    ...overrides,
  };
}

const enabled = (list: ReturnType<typeof commandAvailability>) => list.filter((c) => c.enabled).map((c) => c.command);

describe("commandAvailability", () => {
  test("every command maps to a permission some role holds", () => {
    const all = new Set(Object.values(ROLE_PERMISSIONS).flat());
    for (const command of ROLLOUT_COMMANDS) expect(all.has(COMMAND_PERMISSIONS[command])).toBe(true);
  });

  test.each([
    ["viewer", []],
    ["operator", ["pause", "rollback", "abort"]],
    ["reviewer", ["approve", "reject"]],
    ["admin", ["approve", "reject", "skip_analysis", "pause", "rollback", "abort"]],
  ] as [Role, string[]][])("awaiting approval requested by someone else: %s may %j", (role, commands) => {
    expect(enabled(commandAvailability(awaiting("olivia"), as("rafael", role), []))).toEqual(commands);
  });

  test("lists exactly the state's valid commands, disabled ones with a reason", () => {
    const list = commandAvailability(awaiting("olivia"), as("vera", "viewer"), []);
    expect(list.map((c) => c.command)).toEqual(["approve", "reject", "skip_analysis", "pause", "rollback", "abort"]);
    expect(list.find((c) => c.command === "approve")?.reason).toBe("Needs the reviewer or admin role");
    expect(list.find((c) => c.command === "rollback")?.reason).toBe("Needs the operator or admin role");
  });

  test.each([
    ["the requester", awaiting("ana"), "You requested this promotion; another reviewer must approve it"],
    ["the author, when the evaluator asked", awaiting("system", { createdBy: "ana" }), "You created this rollout; another reviewer must approve the evaluator's request"],
    [
      "a reviewer who already approved",
      awaiting("olivia", {
        requiredApprovals: 2,
        pendingApproval: { stageIndex: 2, requestedBy: "olivia", requestedAt: T0, approvals: [{ by: "ana", at: T0, comment: null }] },
      }),
      "You have already approved this promotion",
    ],
  ])("approve is disabled for %s", (_name, rollout, reason) => {
    const approve = commandAvailability(rollout, as("ana", "admin"), []).find((c) => c.command === "approve");
    expect(approve).toEqual({ command: "approve", enabled: false, reason });
  });

  test("promote, and the approval that would advance, wait for readiness", () => {
    const running = awaiting("x", { state: "running", pendingApproval: null });
    const promote = commandAvailability(running, as("olivia", "operator"), ["bake time: 3 min of 1 h elapsed"]);
    expect(promote.find((c) => c.command === "promote")).toEqual({
      command: "promote",
      enabled: false,
      reason: "Not ready: bake time: 3 min of 1 h elapsed",
    });
    const approve = commandAvailability(awaiting("olivia"), as("rafael", "reviewer"), ["samples: 1 of 2 per arm"]);
    expect(approve.find((c) => c.command === "approve")?.enabled).toBe(false);
    // With 2 approvals required, the first one is only recorded, so it is not blocked.
    const first = commandAvailability(awaiting("olivia", { requiredApprovals: 2 }), as("rafael", "reviewer"), ["x"]);
    expect(first.find((c) => c.command === "approve")?.enabled).toBe(true);
  });

  test("terminal states offer nothing", () => {
    expect(commandAvailability(awaiting("x", { state: "completed", pendingApproval: null }), as("a", "admin"), [])).toEqual([]);
  });
});
