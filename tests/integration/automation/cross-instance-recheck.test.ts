/**
 * Cross-instance event-driven re-checks: outcomes ingested on an instance that is not the
 * evaluator's leader reach the leader through NOTIFY, and the leader rolls the regression back
 * within seconds — long before its next tick (its interval here is a minute and it never ticks
 * after taking the lock). Two "instances" in one process: each its own evaluator with its own
 * leader-lock connection; the follower hears ingestion in process, the leader only through its
 * outcome listener. On embedded PGlite NOTIFY does not cross connections: the listener says so,
 * and the one process that is leader and ingester re-checks through the in-process signal.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { getEnv } from "@/lib/env";
import { createEvaluator, createLeaderLock, defaultTickDeps, startOutcomeListener, type Evaluator } from "@/lib/server/automation";
import { createThinner } from "@/lib/server/services/gates/gate-results";
import { db } from "@/lib/server/db";
import type { NotificationListener } from "@/lib/server/db/notification-listener";
import { ingestEvents } from "@/lib/server/services/metrics/ingest-events";
import { onOutcomesIngested } from "@/lib/server/services/metrics/outcome-signal";
import { testDatabaseUrl } from "../helpers/db";
import { createTestUser } from "../helpers/actors";
import { createTestEnvironment } from "../rollouts/fixtures";
import { gates, outcomes, plan, startedRollout, SUCCESS_NOT_WORSE } from "./fixtures";

let env: Awaited<ReturnType<typeof createTestEnvironment>>;
let operator: Awaited<ReturnType<typeof createTestUser>>;
let leader: Evaluator;
let follower: Evaluator;
let listener: NotificationListener;
const heard: { at: number; ids: readonly string[] }[] = [];
const cleanups: (() => unknown)[] = [];

const evaluator = () =>
  createEvaluator({
    deps: defaultTickDeps(getEnv(), { thinner: createThinner(0), log: () => undefined }),
    lock: createLeaderLock({ connectionString: testDatabaseUrl() }),
    intervalMs: 60_000,
  });

beforeAll(async () => {
  env = await createTestEnvironment("notify");
  operator = await createTestUser(["operator"]);
  await db.rollout.updateMany({ where: { state: { in: ["running", "paused", "awaiting_approval"] }, environmentId: { not: env.id } }, data: { state: "aborted" } });
  leader = evaluator();
  follower = evaluator();
  // The leader takes the lock with a tick now; its next tick would be a minute away.
  expect(await leader.tickNow()).not.toBeNull();
  listener = startOutcomeListener({
    connectionString: testDatabaseUrl(),
    onRolloutsTouched: (ids) => {
      heard.push({ at: Date.now(), ids });
      leader.recheck(ids);
    },
  });
  await listener.started;
  cleanups.push(onOutcomesIngested((ids) => follower.recheck(ids)));
});

afterAll(async () => {
  for (const c of cleanups) c();
  await listener.stop();
  await follower.stop();
  await leader.stop();
});

async function stateWithin(rolloutId: string, state: string, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const row = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId }, select: { state: true } });
    if (row.state === state) return Date.now();
    await new Promise((r) => setTimeout(r, 25));
  }
  return null;
}

test("bad outcomes ingested on the follower are rolled back by the leader within seconds, not at its next tick", async () => {
  const { rolloutId, flag } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(SUCCESS_NOT_WORSE) }, { trafficBasisPoints: 10_000 }]));
  await ingestEvents({ environmentId: env.id, events: [...outcomes(flag.key, rolloutId, "control", 600, 6), ...outcomes(flag.key, rolloutId, "treatment", 150, 3)] });

  expect(listener.isConnected()).toBe(true);
  // The follower is not the leader: whatever it re-checks, it never acts.
  expect(await follower.tickNow()).toBeNull();

  const sent = Date.now();
  await ingestEvents({ environmentId: env.id, events: outcomes(flag.key, rolloutId, "treatment", 150, 60) });
  const ingested = Date.now();
  const rolledBackAt = await stateWithin(rolloutId, "rolled_back", 10_000);
  expect(rolledBackAt).not.toBeNull();
  // Well inside the leader's 60 s interval: the throttle allows one re-check a second, NOTIFY coalesces per 200 ms.
  expect(rolledBackAt! - sent).toBeLessThan(5_000);
  const audit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: rolloutId, action: "rollout.rollback" } });
  expect(audit.actorType).toBe("system");
  expect(await db.auditRecord.count({ where: { resourceId: rolloutId, action: "rollout.rollback" } })).toBe(1);
  const notified = heard.find((h) => h.at >= ingested && h.ids.includes(rolloutId));
  expect(notified).toBeDefined();
  console.log(`cross-instance re-check: NOTIFY heard ${notified!.at - ingested} ms after the batch committed; rollback ${rolledBackAt! - ingested} ms after it`);
});
