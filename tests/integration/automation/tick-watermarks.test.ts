/**
 * Ticks that work only where something changed: with the leader's watermarks, a rollout whose
 * row, data and time-based conditions are unchanged since its last decision is skipped, and each
 * kind of change brings it back — new outcomes, a person's command, the bake time elapsing, an
 * inconclusive gate's deadline passing (no new data needed for the last two), and a promotion a
 * freeze held (tried every tick).
 */
import { beforeAll, expect, test } from "vitest";
import { getEnv } from "@/lib/env";
import { defaultTickDeps, runEvaluatorTick, type TickDeps } from "@/lib/server/automation";
import { createThinner } from "@/lib/server/services/gates/gate-results";
import { createRolloutWatermarks } from "@/lib/server/automation/rollout-watermarks";
import { db } from "@/lib/server/db";
import { runRolloutCommand } from "@/lib/server/services/rollouts";
import { createTestUser } from "../helpers/actors";
import { createTestEnvironment } from "../rollouts/fixtures";
import { MINUTE, SUCCESS_NOT_WORSE, addExposures, addTraffic, gates, plan, startedRollout } from "./fixtures";

let env: Awaited<ReturnType<typeof createTestEnvironment>>;
let operator: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  env = await createTestEnvironment("marks");
  operator = await createTestUser(["operator"]);
  await db.rollout.updateMany({ where: { state: { in: ["running", "paused", "awaiting_approval"] }, environmentId: { not: env.id } }, data: { state: "aborted" } });
});

function deps(overrides: Partial<TickDeps> = {}): TickDeps {
  return defaultTickDeps(getEnv(), { thinner: createThinner(0), log: () => undefined, ...overrides });
}

/** One tick with the watermarks: this rollout's step, or null when the tick skipped it. */
async function tick(watermarks: ReturnType<typeof createRolloutWatermarks>, rolloutId: string, now: Date, d: TickDeps = deps()) {
  const report = await runEvaluatorTick(d, now, { watermarks });
  return report.rollouts.find((r) => r.rolloutId === rolloutId) ?? null;
}

test("unchanged rollouts are skipped; new outcomes and a person's command bring them back", async () => {
  const marks = createRolloutWatermarks();
  const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]));
  await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 2, { count: 300, successes: 297 }, { count: 150, successes: 149 });
  const t = stageStart.getTime() + 5 * MINUTE;
  expect((await tick(marks, rolloutId, new Date(t)))?.decision.action).toBe("hold");
  const skipped = await runEvaluatorTick(deps(), new Date(t + 30_000), { watermarks: marks });
  expect(skipped.rollouts.find((r) => r.rolloutId === rolloutId)).toBeUndefined();
  expect(skipped.skipped).toBeGreaterThanOrEqual(1);

  // New outcomes, here a regression: evaluated at the next tick and rolled back.
  await addTraffic(rolloutId, new Date(stageStart.getTime() + 3 * MINUTE), 2, { count: 300, successes: 297 }, { count: 150, successes: 100 });
  expect((await tick(marks, rolloutId, new Date(t + 60_000)))?.acted).toBe("rollback");

  // A person's command changes the row: a paused rollout is evaluated again (and holds there).
  const second = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]));
  await addTraffic(second.rolloutId, new Date(second.stageStart.getTime() + MINUTE), 2, { count: 300, successes: 297 }, { count: 150, successes: 149 });
  const t2 = second.stageStart.getTime() + 5 * MINUTE;
  expect(await tick(marks, second.rolloutId, new Date(t2))).not.toBeNull();
  expect(await tick(marks, second.rolloutId, new Date(t2 + 30_000))).toBeNull();
  await runRolloutCommand(operator, { rolloutId: second.rolloutId, command: "pause", comment: "look first" });
  expect((await tick(marks, second.rolloutId, new Date(t2 + 60_000)))?.decision.reason).toBe("Holding: paused by a person");
  expect(await tick(marks, second.rolloutId, new Date(t2 + 90_000))).toBeNull();
});

test("the bake time elapsing promotes without new data", async () => {
  const marks = createRolloutWatermarks();
  const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, minBakeSeconds: 600, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]), {
    autoAdvance: true,
  });
  await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 2, { count: 300, successes: 297 }, { count: 150, successes: 149 });
  const at = (minutes: number) => new Date(stageStart.getTime() + minutes * MINUTE);
  expect((await tick(marks, rolloutId, at(5)))?.decision.reason).toContain("bake time not elapsed");
  expect(await tick(marks, rolloutId, at(9))).toBeNull();
  expect((await tick(marks, rolloutId, at(10)))?.acted).toBe("promote");
});

test("an inconclusive gate's deadline passing pauses without new data", async () => {
  const marks = createRolloutWatermarks();
  const { rolloutId, stageStart } = await startedRollout(
    operator,
    env,
    plan([{ trafficBasisPoints: 500, gates: gates({ ...SUCCESS_NOT_WORSE, deadlineMinutes: 30 }) }, { trafficBasisPoints: 10_000 }]),
    { autoAdvance: true },
  );
  await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 2, { count: 400, successes: 396 }, { count: 10, successes: 10 });
  const at = (minutes: number) => new Date(stageStart.getTime() + minutes * MINUTE);
  expect((await tick(marks, rolloutId, at(5)))?.evaluations[0]?.verdict).toBe("inconclusive");
  expect(await tick(marks, rolloutId, at(12))).toBeNull();
  expect((await tick(marks, rolloutId, at(30)))?.acted).toBe("pause");
});

test("a promotion held by a freeze is tried again every tick, and goes once the freeze lifts", async () => {
  const marks = createRolloutWatermarks();
  const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]), { autoAdvance: true });
  await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 2, { count: 300, successes: 297 }, { count: 150, successes: 149 });
  let frozen = true;
  const d = deps({ promotionFreeze: async () => ({ active: frozen, reason: "error budget exhausted" }) });
  const at = (minutes: number) => new Date(stageStart.getTime() + minutes * MINUTE);
  const held = await tick(marks, rolloutId, at(5), d);
  expect(held).toMatchObject({ acted: null, frozen: true });
  expect(await tick(marks, rolloutId, at(5.5), d)).toMatchObject({ frozen: true });
  frozen = false;
  expect((await tick(marks, rolloutId, at(6), d))?.acted).toBe("promote");
});

test("with an SRM gate, new exposures alone bring the rollout back", async () => {
  const marks = createRolloutWatermarks();
  const srm = { name: "split", kind: "threshold" as const, metric: "srm" as const, bound: 0.001, minSamples: 50 };
  const { rolloutId, stageStart } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(srm) }, { trafficBasisPoints: 10_000 }]));
  await addTraffic(rolloutId, new Date(stageStart.getTime() + MINUTE), 2, { count: 300, successes: 297 }, { count: 16, successes: 16 });
  const at = (minutes: number) => new Date(stageStart.getTime() + minutes * MINUTE);
  expect(await tick(marks, rolloutId, at(5))).not.toBeNull();
  expect(await tick(marks, rolloutId, at(5.5))).toBeNull();
  await addExposures(rolloutId, at(4), 0, 400);
  expect(await tick(marks, rolloutId, at(6))).not.toBeNull();
});
