/**
 * The gate evaluator against a real Postgres, with synthetic rollups: a critical failure rolls
 * back (audit by `system` with the numbers, gate results, webhook), a healthy canary with
 * auto-advance walks to completion, a non-critical failure pauses, a crash between storing the
 * results and acting is finished by the next tick, and two evaluators never act twice.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { getEnv } from "@/lib/env";
import { createEvaluator, createLeaderLock, defaultTickDeps, runEvaluatorTick, type TickDeps } from "@/lib/server/automation";
import { createThinner } from "@/lib/server/services/gates/gate-results";
import { db } from "@/lib/server/db";
import { loadFlagSnapshot } from "@/lib/server/evaluation/snapshot-loader";
import { testDatabaseUrl } from "../helpers/db";
import { createTestUser } from "../helpers/actors";
import { createTestEnvironment } from "../rollouts/fixtures";
import { MINUTE, P95_RATIO, SUCCESS_NOT_WORSE, addTraffic, createWebhook, gates, plan, startedRollout } from "./fixtures";

type Env = Awaited<ReturnType<typeof createTestEnvironment>>;
let env: Env;
let operator: Awaited<ReturnType<typeof createTestUser>>;
const logs: string[] = [];

function deps(overrides: Partial<TickDeps> = {}): TickDeps {
  return defaultTickDeps(getEnv(), { thinner: createThinner(0), log: (m) => logs.push(m), ...overrides });
}

/** Only this test's rollout: other tests' rollouts stay untouched by a tick. */
async function tickFor(rolloutId: string, now: Date, d: TickDeps = deps()) {
  const report = await runEvaluatorTick(d, now);
  return report.rollouts.find((r) => r.rolloutId === rolloutId);
}

beforeAll(async () => {
  env = await createTestEnvironment("auto");
  operator = await createTestUser(["operator"]);
  // Rollouts left running by other files would be evaluated too; end them so ticks stay fast.
  await db.rollout.updateMany({ where: { state: { in: ["running", "paused", "awaiting_approval"] }, environmentId: { not: env.id } }, data: { state: "aborted" } });
});

describe("critical gate failure", () => {
  test("rolls back at once: state, reason, audit by system with numbers, gate result, webhook, evaluation serves control", async () => {
    const { rolloutId, stageStart, flag } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE, P95_RATIO) }, { trafficBasisPoints: 10_000 }]));
    const hook = await createWebhook(env.id, "http://127.0.0.1:9/never", ["rollout.rolled_back"]);
    // 5 minutes: control 98.9% of 400/min, treatment 91.8% of... 100/min → 500 each side over the window.
    await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 5, { count: 400, successes: 396, latencyMs: 900 }, { count: 100, successes: 92, latencyMs: 950 });

    const now = new Date(stageStart.getTime() + 7 * MINUTE);
    const result = await tickFor(rolloutId, now);
    expect(result?.acted).toBe("rollback");

    const rollout = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(rollout.state).toBe("rolled_back");
    expect(rollout.lastAutomaticAction).toMatch(/^Rolled back at \d\d:\d\d UTC: treatment success rate 92\.0% vs 99\.0%, p [<=] [\d.]+, critical gate 'success rate'$/);

    const audit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: rolloutId, action: "rollout.rollback" } });
    expect(audit.actorType).toBe("system");
    const context = audit.context as { comment: string; automatic: boolean; automation: { gates: { gate: string; verdict: string; value: number; controlValue: number; pValue: number }[] } };
    expect(context.automatic).toBe(true);
    expect(context.comment).toBe(rollout.lastAutomaticAction);
    const success = context.automation.gates.find((g) => g.gate === "success rate")!;
    expect(success).toMatchObject({ verdict: "fail", value: 0.92, controlValue: 0.99 });
    expect(success.pValue).toBeLessThan(0.05);

    const results = await db.gateResult.findMany({ where: { rolloutId } });
    expect(results.find((r) => r.gateName === "success rate")).toMatchObject({ verdict: "fail", critical: true, value: 0.92, controlValue: 0.99, stageIndex: 0 });
    expect(results.find((r) => r.gateName === "p95 latency")?.verdict).toBe("pass");

    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(delivery.event).toBe("rollout.rolled_back");
    expect((delivery.payload as { text: string }).text).toContain("critical gate 'success rate'");

    const snapshot = await loadFlagSnapshot(db, env.id, flag.key);
    expect(snapshot?.rollout ?? null).toBeNull();
  });

  test("a paused rollout is still rolled back by a critical failure", async () => {
    const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]));
    await db.rollout.update({ where: { id: rolloutId }, data: { state: "paused", version: { increment: 1 } } });
    await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 3, { count: 500, successes: 495 }, { count: 100, successes: 80 });
    const result = await tickFor(rolloutId, new Date(stageStart.getTime() + 5 * MINUTE));
    expect(result?.acted).toBe("rollback");
  });
});

describe("non-critical failure and inconclusive gates", () => {
  test("a failing non-critical gate pauses with the reason", async () => {
    const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE, P95_RATIO) }, { trafficBasisPoints: 10_000 }]));
    await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 3, { count: 400, successes: 396, latencyMs: 1000 }, { count: 100, successes: 99, latencyMs: 1500 });
    const result = await tickFor(rolloutId, new Date(stageStart.getTime() + 5 * MINUTE));
    expect(result?.acted).toBe("pause");
    const rollout = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(rollout.state).toBe("paused");
    expect(rollout.lastAutomaticAction).toMatch(
      /^Paused at \d\d:\d\d UTC: treatment p95 latency 1,\d{3} ms vs \d{3,4} ms, beyond at most 1\.2 × control .*gate 'p95 latency'; a person should decide$/,
    );
  });

  test("too little data holds (never passes), and past the deadline pauses for a person", async () => {
    const deadlineGate = { ...SUCCESS_NOT_WORSE, deadlineMinutes: 30 };
    const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(deadlineGate) }, { trafficBasisPoints: 10_000 }]), { autoAdvance: true });
    await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 2, { count: 400, successes: 396 }, { count: 10, successes: 10 });
    const early = await tickFor(rolloutId, new Date(stageStart.getTime() + 5 * MINUTE));
    expect(early?.decision.action).toBe("hold");
    expect(early?.evaluations[0]?.verdict).toBe("inconclusive");
    expect((await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } })).state).toBe("running");

    const late = await tickFor(rolloutId, new Date(stageStart.getTime() + 31 * MINUTE));
    expect(late?.acted).toBe("pause");
    expect((await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } })).lastAutomaticAction).toContain("still inconclusive 30 min into stage 1 (5%)");
  });
});

describe("auto-advance", () => {
  test("a healthy canary walks through its stages to completion, asking a reviewer where the plan says so", async () => {
    const stages = plan([
      { trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) },
      { trafficBasisPoints: 2500, gates: gates(SUCCESS_NOT_WORSE), requiresApproval: true },
      { trafficBasisPoints: 10_000, gates: gates({ name: "error rate", kind: "threshold", metric: "error_rate", bound: 0.05 }) },
    ]);
    const { rolloutId, stageStart, flag } = await startedRollout(operator, env, stages, { autoAdvance: true });
    let t = stageStart.getTime();
    const healthy = { count: 300, successes: 297 };
    const canary = { count: 150, successes: 149 };

    await addTraffic(rolloutId, new Date(t + MINUTE), 2, healthy, canary, 0);
    expect((await tickFor(rolloutId, new Date(t + 3 * MINUTE)))?.acted).toBe("promote");
    let rollout = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(rollout).toMatchObject({ state: "running", currentStageIndex: 1 });
    expect(rollout.lastAutomaticAction).toMatch(/^Promoted at \d\d:\d\d UTC: its gate passes after the bake time at stage 1 \(5%\)$/);

    t += 3 * MINUTE;
    await addTraffic(rolloutId, new Date(t + MINUTE), 2, healthy, canary, 1);
    expect((await tickFor(rolloutId, new Date(t + 3 * MINUTE)))?.acted).toBe("promote");
    rollout = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(rollout.state).toBe("awaiting_approval");
    expect(rollout.lastAutomaticAction).toContain("Approval requested at");

    // A reviewer approves (not the author: the evaluator asked, so four-eyes bars the author).
    const reviewer = await createTestUser(["reviewer"]);
    const { runRolloutCommand } = await import("@/lib/server/services/rollouts");
    await runRolloutCommand(reviewer, { rolloutId, command: "approve", comment: "looks fine" }, { now: new Date(t + 4 * MINUTE) });
    t += 4 * MINUTE;

    await addTraffic(rolloutId, new Date(t + MINUTE), 2, { count: 0, successes: 0 }, { count: 300, successes: 299 }, 2);
    expect((await tickFor(rolloutId, new Date(t + 3 * MINUTE)))?.acted).toBe("promote");
    rollout = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(rollout.state).toBe("completed");
    expect(rollout.lastAutomaticAction).toMatch(/^Completed at \d\d:\d\d UTC/);
    expect((await db.flag.findUniqueOrThrow({ where: { id: flag.id } })).defaultVariant).toBe("gpt-4.1");
    const automatic = await db.auditRecord.count({ where: { resourceId: rolloutId, actorType: "system", action: "rollout.promote" } });
    expect(automatic).toBe(3);
  });

  test("without auto-advance a healthy stage holds", async () => {
    const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]));
    await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 2, { count: 300, successes: 297 }, { count: 150, successes: 149 });
    const r = await tickFor(rolloutId, new Date(stageStart.getTime() + 3 * MINUTE));
    expect(r?.decision).toMatchObject({ action: "hold", reason: "Holding: auto-advance is off" });
  });
});

describe("crash safety and concurrency", () => {
  test("a crash after storing gate results and before acting is finished by the next tick, once", async () => {
    const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]));
    await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 3, { count: 500, successes: 495 }, { count: 100, successes: 80 });
    const now = new Date(stageStart.getTime() + 5 * MINUTE);
    const crashing = deps({
      runCommand: async () => {
        throw new Error("process killed");
      },
    });
    await expect(runEvaluatorTick(crashing, now)).resolves.toMatchObject({ errors: expect.any(Number) });
    expect((await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } })).state).toBe("running");
    expect(await db.gateResult.count({ where: { rolloutId, verdict: "fail" } })).toBe(1);
    expect(await db.auditRecord.count({ where: { resourceId: rolloutId, action: "rollout.rollback" } })).toBe(0);

    expect((await tickFor(rolloutId, new Date(now.getTime() + 2000)))?.acted).toBe("rollback");
    expect((await tickFor(rolloutId, new Date(now.getTime() + 4000))) ?? null).toBeNull(); // terminal: no longer evaluated
    expect(await db.auditRecord.count({ where: { resourceId: rolloutId, action: "rollout.rollback" } })).toBe(1);
  });

  test("two ticks racing on the same numbers act once (optimistic version check)", async () => {
    const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]));
    await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 3, { count: 500, successes: 495 }, { count: 100, successes: 80 });
    const now = new Date(stageStart.getTime() + 5 * MINUTE);
    const [a, b] = await Promise.all([tickFor(rolloutId, now), tickFor(rolloutId, now)]);
    expect([a?.acted, b?.acted].filter((x) => x === "rollback")).toHaveLength(1);
    expect(await db.auditRecord.count({ where: { resourceId: rolloutId, action: "rollout.rollback" } })).toBe(1);
  });

  test("two evaluator instances: only the advisory-lock holder evaluates", async () => {
    const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]));
    await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 3, { count: 500, successes: 495 }, { count: 100, successes: 80 });
    const now = () => new Date(stageStart.getTime() + 5 * MINUTE);
    const url = testDatabaseUrl();
    const first = createEvaluator({ deps: deps(), lock: createLeaderLock({ connectionString: url }), intervalMs: 60_000, now });
    const second = createEvaluator({ deps: deps(), lock: createLeaderLock({ connectionString: url }), intervalMs: 60_000, now });
    try {
      const [a, b] = await Promise.all([first.tickNow(), second.tickNow()]);
      // Exactly one instance holds the lock, and keeps it for its next ticks.
      expect([a, b].filter((r) => r === null)).toHaveLength(1);
      const leader = a ? first : second;
      const follower = a ? second : first;
      expect(await follower.tickNow()).toBeNull();
      expect(await leader.tickNow()).not.toBeNull();
      expect(await db.auditRecord.count({ where: { resourceId: rolloutId, action: "rollout.rollback" } })).toBe(1);
    } finally {
      await first.stop();
      await second.stop();
    }
    // Once the leader stops, the lock is free for the next instance.
    const third = createEvaluator({ deps: deps(), lock: createLeaderLock({ connectionString: url }), intervalMs: 60_000, now });
    expect(await third.tickNow()).not.toBeNull();
    await third.stop();
  });
});
