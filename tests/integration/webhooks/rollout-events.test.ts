/**
 * Rollout transitions and webhooks: deliveries are written in the command's transaction (none for
 * a refused command), carry the transition and a Slack sentence, and a webhook subscribed to both
 * the generic and the specific event gets one delivery per transition.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/server/db";
import { runRolloutCommand } from "@/lib/server/services/rollouts";
import { createTestUser } from "../helpers/actors";
import { createQuickCanary, createTestEnvironment, createTestFlag, ctx } from "../rollouts/fixtures";

let env: Awaited<ReturnType<typeof createTestEnvironment>>;
let operator: Awaited<ReturnType<typeof createTestUser>>;
let reviewer: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  env = await createTestEnvironment("wh-rollout");
  operator = await createTestUser(["operator"]);
  reviewer = await createTestUser(["reviewer"]);
});
afterAll(async () => {
  await db.webhook.deleteMany({ where: { environmentId: env.id } });
});

async function hook(events: string[]) {
  // Port 9 (discard) refuses: these deliveries stay pending; this test reads the queue, not a receiver.
  return db.webhook.create({ data: { environmentId: env.id, name: events.join("+"), url: "http://127.0.0.1:9/", secret: "s".repeat(20), events } });
}

const eventsOf = async (webhookId: string) => (await db.webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: "asc" } })).map((d) => d.event);

describe("rollout webhooks", () => {
  test("every transition enqueues; approval requests and rollbacks use their specific event once", async () => {
    const all = await hook(["rollout.transition", "rollout.approval_requested", "rollout.rolled_back"]);
    const generic = await hook(["rollout.transition"]);
    const rollbacksOnly = await hook(["rollout.rolled_back"]);
    const flag = await createTestFlag(env.id);
    const id = await createQuickCanary(operator, env.key, flag.key);
    const run = (command: Parameters<typeof runRolloutCommand>[1]["command"], actor = operator) => runRolloutCommand(actor, { rolloutId: id, command, comment: "why" }, ctx());

    await run("start");
    await run("promote");
    await run("promote");
    await run("promote"); // → awaiting approval
    await expect(run("approve")).rejects.toMatchObject({ code: "forbidden" }); // refused: no delivery
    await run("reject", reviewer);
    await run("rollback");

    expect(await eventsOf(all.id)).toEqual(["rollout.transition", "rollout.transition", "rollout.transition", "rollout.approval_requested", "rollout.transition", "rollout.rolled_back"]);
    expect(await eventsOf(generic.id)).toEqual(Array(6).fill("rollout.transition"));
    expect(await eventsOf(rollbacksOnly.id)).toEqual(["rollout.rolled_back"]);

    const rollback = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: rollbacksOnly.id } });
    expect(rollback.payload).toMatchObject({
      event: "rollout.rolled_back",
      environment: { key: env.key },
      rollout: { id, flagKey: flag.key, strategy: "canary", state: "rolled_back", trafficBasisPoints: 0, controlVariant: "gpt-4o", treatmentVariant: "gpt-4.1" },
      transition: { command: "rollback", fromState: "running", toState: "rolled_back", comment: "why", automatic: false },
      actor: { type: "user", label: operator.label },
    });
    expect((rollback.payload as { text: string }).text).toMatch(
      new RegExp(`^:rewind: \\[${env.key}\\] \\*${flag.key.replace(".", "\\.")}\\* \\(canary\\): Rolled back: 25% of traffic returns to control by `),
    );
    expect((rollback.payload as { rollout: { url: string } }).rollout.url).toMatch(new RegExp(`/rollouts/${id}$`));
  });
});
