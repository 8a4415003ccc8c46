/**
 * Event-driven critical gates: outcomes ingested for a running canary make the leader re-check
 * its critical gates within about a second, so a regression is rolled back without waiting for
 * the next tick (the evaluator here never ticks: its interval is an hour). Healthy outcomes are
 * re-checked too and change nothing.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { getEnv } from "@/lib/env";
import { createEvaluator, createLeaderLock, defaultTickDeps, type Evaluator } from "@/lib/server/automation";
import { createThinner } from "@/lib/server/services/gates/gate-results";
import { db } from "@/lib/server/db";
import { onOutcomesIngested } from "@/lib/server/services/metrics/outcome-signal";
import { ingestEvents } from "@/lib/server/services/metrics/ingest-events";
import { testDatabaseUrl } from "../helpers/db";
import { createTestUser } from "../helpers/actors";
import { createTestEnvironment } from "../rollouts/fixtures";
import { gates, outcomes, plan, startedRollout, SUCCESS_NOT_WORSE } from "./fixtures";

let env: Awaited<ReturnType<typeof createTestEnvironment>>;
let operator: Awaited<ReturnType<typeof createTestUser>>;
let evaluator: Evaluator;
let unsubscribe: () => void;

beforeAll(async () => {
  env = await createTestEnvironment("events");
  operator = await createTestUser(["operator"]);
  await db.rollout.updateMany({ where: { state: { in: ["running", "paused", "awaiting_approval"] }, environmentId: { not: env.id } }, data: { state: "aborted" } });
  evaluator = createEvaluator({
    deps: defaultTickDeps(getEnv(), { thinner: createThinner(0), log: () => undefined }),
    lock: createLeaderLock({ connectionString: testDatabaseUrl() }),
    intervalMs: 3_600_000,
  });
  unsubscribe = onOutcomesIngested((ids) => evaluator.recheck(ids));
});

afterAll(async () => {
  unsubscribe();
  await evaluator.stop();
});

async function rolloutState(id: string) {
  return (await db.rollout.findUniqueOrThrow({ where: { id } })).state;
}

test("failing treatment outcomes roll the canary back within seconds, with no tick", async () => {
  const { rolloutId, flag } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]));

  await ingestEvents({ environmentId: env.id, events: [...outcomes(flag.key, rolloutId, "control", 600, 6), ...outcomes(flag.key, rolloutId, "treatment", 150, 3)] });
  const healthy = await evaluator.rechecksSettled();
  expect(healthy.find((r) => r.rolloutId === rolloutId)?.acted ?? null).toBeNull();
  expect(await rolloutState(rolloutId)).toBe("running");

  const sent = Date.now();
  await ingestEvents({ environmentId: env.id, events: outcomes(flag.key, rolloutId, "treatment", 150, 60) });
  const results = await evaluator.rechecksSettled();
  const elapsed = Date.now() - sent;
  expect(results.find((r) => r.rolloutId === rolloutId)?.acted).toBe("rollback");
  expect(await rolloutState(rolloutId)).toBe("rolled_back");
  // The throttle allows one re-check per second; the rollback commits well inside two.
  expect(elapsed).toBeLessThan(2_500);
  const audit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: rolloutId, action: "rollout.rollback" } });
  expect(audit.actorType).toBe("system");
});
