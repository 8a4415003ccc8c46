/**
 * Rollout commands as services on a real Postgres: every path, the state each leaves, what
 * evaluation then serves, audit records, config version and the change event.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { strategyTemplate } from "@/lib/domain/rollouts";
import { SYSTEM_ACTOR } from "@/lib/server/auth/actor";
import { db } from "@/lib/server/db";
import { onConfigChanged } from "@/lib/server/evaluation/config-events";
import { loadFlagSnapshot } from "@/lib/server/evaluation/snapshot-loader";
import { getRollout, runRolloutCommand } from "@/lib/server/services/rollouts";
import { createTestUser } from "../helpers/actors";
import { auditCount, createManageKeyActor, createQuickCanary, createTestEnvironment, createTestFlag, ctx, stage } from "./fixtures";

type Env = Awaited<ReturnType<typeof createTestEnvironment>>;
type User = Awaited<ReturnType<typeof createTestUser>>;
let env: Env;
let operator: User;
let reviewer: User;
let admin: User;
let viewer: User;

beforeAll(async () => {
  env = await createTestEnvironment("cmd");
  [operator, reviewer, admin, viewer] = await Promise.all([createTestUser(["operator"]), createTestUser(["reviewer"]), createTestUser(["admin"]), createTestUser(["viewer"])]);
});

const run = (
  actor: User | typeof SYSTEM_ACTOR,
  rolloutId: string,
  command: Parameters<typeof runRolloutCommand>[1]["command"],
  extra: { comment?: string; expectedVersion?: number; now?: Date } = {},
) => runRolloutCommand(actor, { rolloutId, command, comment: extra.comment, expectedVersion: extra.expectedVersion }, { ...ctx(), now: extra.now });

async function newCanary(overrides: Parameters<typeof createQuickCanary>[3] = {}) {
  const flag = await createTestFlag(env.id);
  const id = await createQuickCanary(operator, env.key, flag.key, overrides);
  return { flag, id };
}

async function served(flagKey: string) {
  return (await loadFlagSnapshot(db, env.id, flagKey))?.rollout ?? null;
}

describe("start, promote, complete", () => {
  test("start puts stage 1 in force; evaluation sees it; config version bumps; change event fires", async () => {
    const { flag, id } = await newCanary();
    const events: string[] = [];
    const off = onConfigChanged((e) => void events.push(e.environmentId));
    const versionBefore = (await db.environment.findUniqueOrThrow({ where: { id: env.id } })).configVersion;
    try {
      const result = await run(operator, id, "start");
      expect(result).toMatchObject({ state: "running", currentStageIndex: 0, version: 1, summary: "Started at stage 1 (1%)" });
    } finally {
      off();
    }
    expect(events).toContain(env.id);
    expect((await db.environment.findUniqueOrThrow({ where: { id: env.id } })).configVersion).toBe(versionBefore + 1n);
    expect(await served(flag.key)).toMatchObject({ id, stageIndex: 0, trafficBasisPoints: 100, state: "running" });
    const stages = await db.rolloutStage.findMany({ where: { rolloutId: id }, orderBy: { index: "asc" } });
    expect(stages[0]!.startedAt).not.toBeNull();
    expect(await auditCount(id, "rollout.start")).toBe(1);
  });

  test("promote walks the stages; completing a canary makes the treatment the flag's default", async () => {
    const { flag, id } = await newCanary({ stages: [stage({ trafficBasisPoints: 100 }), stage({ trafficBasisPoints: 10_000 })] });
    await run(operator, id, "start");
    const second = await run(operator, id, "promote", { comment: "1% looks healthy" });
    expect(second).toMatchObject({ state: "running", currentStageIndex: 1, summary: "Promoted from stage 1 (1%) to stage 2 (100%)" });
    expect(await served(flag.key)).toMatchObject({ trafficBasisPoints: 10_000 });
    const done = await run(operator, id, "promote");
    expect(done.state).toBe("completed");
    expect(done.effect.kind).toBe("completed");
    const after = await db.flag.findUniqueOrThrow({ where: { id: flag.id } });
    expect(after.defaultVariant).toBe("gpt-4.1");
    expect(after.version).toBe(flag.version + 1);
    expect(await served(flag.key)).toBeNull();
    expect(await db.auditRecord.count({ where: { resourceId: flag.id, action: "flag.update" } })).toBe(1);
    const detail = await getRollout(operator, id);
    expect(detail.stages.map((s) => s.status)).toEqual(["done", "done"]);
    expect(detail.stages.every((s) => s.startedAt && s.endedAt)).toBe(true);
    expect(detail.endedAt).not.toBeNull();
    expect(detail.history.map((h) => h.command)).toEqual(["create", "start", "promote", "promote"]);
    expect(detail.history[2]).toMatchObject({ comment: "1% looks healthy", actor: { id: operator.id, type: "user" } });
  });

  test.each(["shadow", "ab_test"] as const)("completing a %s keeps control as the default", async (strategy) => {
    const stages = strategyTemplate(strategy).map((s) => ({ ...s, minBakeSeconds: 0, minSamplesPerArm: 0, requiresApproval: false }));
    const { flag, id } = await newCanary({ strategy, stages });
    await run(operator, id, "start");
    for (let i = 0; i < stages.length; i++) await run(operator, id, "promote");
    expect((await getRollout(operator, id)).state).toBe("completed");
    expect((await db.flag.findUniqueOrThrow({ where: { id: flag.id } })).defaultVariant).toBe("gpt-4o");
  });

  test("promote is refused until bake time and samples are reached, naming the numbers", async () => {
    const { id } = await newCanary({
      stages: [stage({ trafficBasisPoints: 100, minBakeSeconds: 3600, minSamplesPerArm: 100 }), stage({ trafficBasisPoints: 10_000 })],
    });
    const t0 = new Date(Date.now() - 1000);
    await run(operator, id, "start", { now: t0 });
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    // Readiness counts the stage's outcomes, as its gates do (the per-stage hourly rollups).
    const hour = new Date(Math.floor(t0.getTime() / 3_600_000) * 3_600_000);
    await db.metricRollupHourly.createMany({
      data: [
        { rolloutId: id, stageIndex: 0, arm: "control", hour, count: 4000 },
        { rolloutId: id, stageIndex: 0, arm: "treatment", hour, count: 42 },
      ],
    });
    await expect(run(operator, id, "promote", { now: at(180) })).rejects.toMatchObject({
      code: "conflict",
      message: "Cannot leave stage 1 (1%) yet: bake time: 3 min of 1 h elapsed; samples: 42 of 100 per arm (control 4000, treatment 42).",
      details: expect.objectContaining({ reason: "bake_time_not_elapsed", samples: 42, bakeElapsedSeconds: 180 }),
    });
    await expect(run(operator, id, "promote", { now: at(3600) })).rejects.toMatchObject({
      details: expect.objectContaining({ reason: "samples_not_reached" }),
    });
    await db.metricRollupHourly.updateMany({ where: { rolloutId: id, arm: "treatment" }, data: { count: 100 } });
    await expect(run(operator, id, "promote", { now: at(3600) })).resolves.toMatchObject({ currentStageIndex: 1 });
    expect(await auditCount(id, "rollout.promote")).toBe(1);
  });

  test("start refuses while the flag has another active rollout (409), and a draft does not count", async () => {
    const flag = await createTestFlag(env.id);
    const first = await createQuickCanary(operator, env.key, flag.key);
    const second = await createQuickCanary(operator, env.key, flag.key);
    await run(operator, first, "start");
    await expect(run(operator, second, "start")).rejects.toMatchObject({ code: "conflict", details: { reason: "active_rollout_exists", activeRolloutId: first } });
    await run(operator, first, "abort");
    await expect(run(operator, second, "start")).resolves.toMatchObject({ state: "running" });
  });

  test("two rollouts of one flag started at once: the unique index lets exactly one through", async () => {
    const flag = await createTestFlag(env.id);
    const ids = await Promise.all(Array.from({ length: 4 }, () => createQuickCanary(operator, env.key, flag.key)));
    const results = await Promise.allSettled(ids.map((id) => run(operator, id, "start")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    }
    expect(await db.rollout.count({ where: { flagId: flag.id, state: "running" } })).toBe(1);
  });

  test("start refuses when the flag's default moved away from the draft's control", async () => {
    const { flag, id } = await newCanary();
    await db.flag.update({ where: { id: flag.id }, data: { defaultVariant: "safe" } });
    await expect(run(operator, id, "start")).rejects.toMatchObject({ code: "conflict", details: { reason: "control_not_default" } });
  });
});

describe("pause, resume, rollback, abort", () => {
  test("pause holds the split, resume continues, rollback returns everyone to control at once", async () => {
    const { flag, id } = await newCanary();
    await run(operator, id, "start");
    await run(operator, id, "promote");
    await run(operator, id, "pause");
    expect(await served(flag.key)).toMatchObject({ state: "paused", trafficBasisPoints: 500 });
    await expect(run(operator, id, "promote")).rejects.toMatchObject({ code: "conflict", details: { reason: "invalid_transition" } });
    await run(operator, id, "resume");
    const rolledBack = await run(operator, id, "rollback", { comment: "p99 up 40%" });
    expect(rolledBack).toMatchObject({ state: "rolled_back", summary: "Rolled back: 5% of traffic returns to control" });
    expect(await served(flag.key)).toBeNull();
    expect((await db.flag.findUniqueOrThrow({ where: { id: flag.id } })).defaultVariant).toBe("gpt-4o");
    await expect(run(operator, id, "resume")).rejects.toMatchObject({ code: "conflict" });
    const audit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: id, action: "rollout.rollback" } });
    expect(audit.before).toMatchObject({ state: "running", trafficBasisPoints: 500 });
    expect(audit.after).toMatchObject({ state: "rolled_back", trafficBasisPoints: 0 });
    expect(audit.context).toMatchObject({ comment: "p99 up 40%", summary: rolledBack.summary });
  });

  test.each(["rollback", "abort"] as const)("%s works from awaiting approval and from draft", async (command) => {
    const { id } = await newCanary();
    await expect(run(operator, id, command)).resolves.toMatchObject({ state: command === "rollback" ? "rolled_back" : "aborted" });
    const other = await newCanary();
    await run(operator, other.id, "start");
    await run(operator, other.id, "promote");
    await run(operator, other.id, "promote");
    expect((await run(operator, other.id, "promote")).state).toBe("awaiting_approval");
    await expect(run(operator, other.id, command)).resolves.toMatchObject({ state: command === "rollback" ? "rolled_back" : "aborted" });
  });
});

describe("approvals and four-eyes", () => {
  async function awaitingApproval(requiredApprovals = 1, requester: User | typeof SYSTEM_ACTOR = operator) {
    const created = await newCanary({ requiredApprovals });
    await run(operator, created.id, "start");
    await run(operator, created.id, "promote");
    await run(operator, created.id, "promote");
    const waiting = await run(requester, created.id, "promote");
    expect(waiting).toMatchObject({ state: "awaiting_approval", currentStageIndex: 2 });
    return created;
  }

  test("a stage needing approval waits; the requester cannot approve; a reviewer can", async () => {
    const { flag, id } = await awaitingApproval();
    expect(await served(flag.key)).toMatchObject({ trafficBasisPoints: 2500, state: "awaiting_approval" });
    const detail = await getRollout(reviewer, id);
    expect(detail.pendingApproval).toMatchObject({ stageIndex: 2, requestedBy: { id: operator.id }, approvals: [] });
    expect(detail.actions.find((a) => a.command === "approve")).toMatchObject({ enabled: true });
    const asOperator = await getRollout(operator, id);
    expect(asOperator.actions.find((a) => a.command === "approve")).toMatchObject({ enabled: false, reason: "Needs the reviewer or admin role" });

    await expect(run(operator, id, "approve")).rejects.toMatchObject({ code: "forbidden" });
    const approved = await run(reviewer, id, "approve", { comment: "numbers fine" });
    expect(approved).toMatchObject({ state: "running", currentStageIndex: 3, summary: "Approved: promoted from stage 3 (25%) to stage 4 (100%)" });
    const approvals = await db.approval.findMany({ where: { rolloutId: id } });
    expect(approvals).toMatchObject([{ stageIndex: 2, requestedBy: operator.id, decidedById: reviewer.id, decision: "approved", comment: "numbers fine" }]);
  });

  test("an admin who requested the promotion cannot approve it either (four-eyes, 403)", async () => {
    const { id } = await awaitingApproval(1, admin);
    await expect(run(admin, id, "approve")).rejects.toMatchObject({ code: "forbidden", details: { reason: "four_eyes" } });
    expect((await getRollout(admin, id)).actions.find((a) => a.command === "approve")).toMatchObject({ enabled: false });
  });

  test("when the evaluator requested it, the rollout's author cannot approve", async () => {
    const author = await createTestUser(["operator", "reviewer"]);
    const flag = await createTestFlag(env.id);
    const id = await createQuickCanary(author, env.key, flag.key, { stages: [stage({ trafficBasisPoints: 100, requiresApproval: true }), stage({ trafficBasisPoints: 10_000 })] });
    await run(author, id, "start");
    await run(SYSTEM_ACTOR, id, "promote");
    await expect(run(author, id, "approve")).rejects.toMatchObject({ code: "forbidden", details: { reason: "four_eyes" } });
    await expect(run(reviewer, id, "approve")).resolves.toMatchObject({ currentStageIndex: 1 });
    const history = (await getRollout(reviewer, id)).history;
    expect(history.find((h) => h.command === "promote")?.actor).toMatchObject({ type: "system" });
  });

  test("N approvals: the first is recorded, a repeat is refused, the Nth advances", async () => {
    const { id } = await awaitingApproval(2);
    const second = await createTestUser(["reviewer"]);
    const first = await run(reviewer, id, "approve");
    expect(first).toMatchObject({ state: "awaiting_approval", summary: "Approval 1 of 2 recorded for leaving stage 3 (25%)" });
    await expect(run(reviewer, id, "approve")).rejects.toMatchObject({ code: "conflict", details: { reason: "already_approved" } });
    expect((await getRollout(second, id)).pendingApproval?.approvals).toHaveLength(1);
    await expect(run(second, id, "approve")).resolves.toMatchObject({ state: "running", currentStageIndex: 3 });
    expect(await db.approval.count({ where: { rolloutId: id, decision: "approved" } })).toBe(2);
  });

  test("reject needs a comment and sends the rollout back to running at the same stage", async () => {
    const { id } = await awaitingApproval();
    await expect(run(reviewer, id, "reject")).rejects.toMatchObject({ code: "invalid_input", details: { reason: "reason_required" } });
    await expect(run(reviewer, id, "reject", { comment: "cost per request +30%" })).resolves.toMatchObject({ state: "running", currentStageIndex: 2 });
    expect(await db.approval.findFirst({ where: { rolloutId: id } })).toMatchObject({ decision: "rejected", comment: "cost per request +30%" });
    expect((await getRollout(reviewer, id)).pendingApproval).toBeNull();
  });

  test("pausing withdraws the pending approval", async () => {
    const { id } = await awaitingApproval();
    await run(operator, id, "pause");
    expect((await getRollout(operator, id)).pendingApproval).toBeNull();
    await run(operator, id, "resume");
    expect((await run(operator, id, "promote")).state).toBe("awaiting_approval");
  });
});

describe("permissions and versions", () => {
  test.each([
    ["viewer", "promote"],
    ["operator", "approve"],
    ["operator", "reject"],
    ["reviewer", "promote"],
    ["operator", "skip_analysis"],
  ] as const)("%s may not %s (403, nothing changes)", async (role, command) => {
    const { id } = await newCanary();
    await run(operator, id, "start");
    const actor = { viewer, operator, reviewer, admin }[role];
    await expect(run(actor, id, command, { comment: "x" })).rejects.toMatchObject({ code: "forbidden" });
    expect((await getRollout(operator, id)).version).toBe(1);
  });

  test("skip_analysis: admin only, needs a reason, skips bake and approval", async () => {
    const { id } = await newCanary({ stages: [stage({ trafficBasisPoints: 100, minBakeSeconds: 86_400, requiresApproval: true }), stage({ trafficBasisPoints: 10_000 })] });
    await run(operator, id, "start");
    await expect(run(admin, id, "skip_analysis")).rejects.toMatchObject({ code: "invalid_input", details: { reason: "reason_required" } });
    await expect(run(admin, id, "skip_analysis", { comment: "incident 4711: old model deprecated today" })).resolves.toMatchObject({
      currentStageIndex: 1,
      summary: expect.stringMatching(/^Analysis skipped \(emergency\)/),
    });
  });

  test("expectedVersion mismatch → 412 with the current version; a match runs", async () => {
    const { id } = await newCanary();
    await run(operator, id, "start");
    await expect(run(operator, id, "promote", { expectedVersion: 0 })).rejects.toMatchObject({
      code: "precondition_failed",
      details: { expectedVersion: 0, currentVersion: 1 },
    });
    await expect(run(operator, id, "promote", { expectedVersion: 1 })).resolves.toMatchObject({ version: 2 });
  });

  test("a manage API key may run commands in its environment only", async () => {
    const { id } = await newCanary();
    const key = await createManageKeyActor(env.id);
    await expect(runRolloutCommand(key, { rolloutId: id, command: "start" }, ctx())).resolves.toMatchObject({ state: "running" });
    const other = await createTestEnvironment("foreign");
    const foreign = await createManageKeyActor(other.id);
    await expect(runRolloutCommand(foreign, { rolloutId: id, command: "pause" }, ctx())).rejects.toMatchObject({ code: "forbidden" });
    await expect(getRollout(foreign, id)).rejects.toMatchObject({ code: "forbidden" });
  });

  test("an unknown rollout is 404", async () => {
    await expect(run(operator, "00000000-0000-0000-0000-000000000000", "start")).rejects.toMatchObject({ code: "not_found" });
  });

  test("50 simultaneous promotes: exactly one succeeds, 49 get 409, one audit record", async () => {
    // Stage 2 bakes for an hour, so a request that arrives after the winner committed is refused
    // too (bake time); those in flight with it lose the version check. Both are 409.
    const { id } = await newCanary({
      stages: [stage({ trafficBasisPoints: 100 }), stage({ trafficBasisPoints: 500, minBakeSeconds: 3600 }), stage({ trafficBasisPoints: 10_000 })],
    });
    await run(operator, id, "start");
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => run(operator, id, "promote")));
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(49);
    expect(refused.every((r) => r.reason?.code === "conflict")).toBe(true);
    expect(refused.some((r) => r.reason?.details?.reason === "version_conflict")).toBe(true);
    expect(await auditCount(id, "rollout.promote")).toBe(1);
    expect(await db.rolloutTransition.count({ where: { rolloutId: id, command: "promote" } })).toBe(1);
    expect(await getRollout(operator, id)).toMatchObject({ currentStageIndex: 1, version: 2 });
  });
});
