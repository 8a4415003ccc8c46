/**
 * SLOs on a real Postgres: the service (create, replace, delete, audited; status from the
 * per-flag rollups), the freeze rule (an exhausted budget refuses promote through the service
 * and the API, rollback stays allowed), and breach policies applied by the evaluator once per
 * firing: notify (slo.alert webhook), roll back the flag's active rollouts, switch to fallback.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { getEnv } from "@/lib/env";
import { POST as commandRoute } from "@/app/api/v1/rollouts/[id]/[command]/route";
import { GET as freezeRoute } from "@/app/api/v1/slos/freeze/route";
import { POST as createSloRoute } from "@/app/api/v1/slos/route";
import { defaultTickDeps, runEvaluatorTick } from "@/lib/server/automation";
import { createThinner } from "@/lib/server/services/gates/gate-results";
import { generateApiKey } from "@/lib/server/auth/api-keys";
import { db } from "@/lib/server/db";
import { loadFlagSnapshot } from "@/lib/server/evaluation/snapshot-loader";
import { getPromotionFreeze } from "@/lib/server/services/promotion-freeze";
import { runRolloutCommand } from "@/lib/server/services/rollouts";
import { createSlo, deleteSlo, getSlo, listSlos, updateSlo } from "@/lib/server/services/slos/slos";
import { sloBodySchema, type SloBodyInput } from "@/lib/schemas/slo";
import { createTestUser } from "../helpers/actors";
import { createTestEnvironment, createTestFlag } from "../rollouts/fixtures";
import { addFlagMinutes, createWebhook, plan, startedRollout } from "../automation/fixtures";

type Env = Awaited<ReturnType<typeof createTestEnvironment>>;
let env: Env;
let operator: Awaited<ReturnType<typeof createTestUser>>;
let manageKey: string;

const body = (input: Omit<SloBodyInput, "environment">) => sloBodySchema.parse({ environment: env.key, ...input });

async function api(handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>, url: string, init: RequestInit, params: Record<string, string> = {}) {
  const res = await handler(new Request(`http://localhost${url}`, { ...init, headers: { authorization: `Bearer ${manageKey}`, "content-type": "application/json", ...init.headers } }), {
    params: Promise.resolve(params),
  });
  return { status: res.status, json: res.status === 204 ? null : await res.json() };
}

beforeAll(async () => {
  env = await createTestEnvironment("slo");
  operator = await createTestUser(["operator"]);
  const key = generateApiKey();
  await db.apiKey.create({ data: { environmentId: env.id, name: "manage", prefix: key.prefix, keyHash: key.keyHash, scopes: ["manage"] } });
  manageKey = key.key;
  await db.rollout.updateMany({ where: { state: { in: ["running", "paused", "awaiting_approval"] }, environmentId: { not: env.id } }, data: { state: "aborted" } });
});

describe("SLO service", () => {
  test("create, read with status, replace and delete, each audited", async () => {
    const flag = await createTestFlag(env.id);
    const now = new Date();
    // 28 days allow 0.1% failures: 10,000 requests with 4 failures spend 40% of the budget.
    await addFlagMinutes(env.id, flag.key, "gpt-4o", now, 10, 1000, 0);
    await addFlagMinutes(env.id, flag.key, "gpt-4o", new Date(now.getTime() - 3_600_000), 1, 0, 0);
    await db.flagMetricRollup.update({
      where: { environmentId_flagKey_variant_minute: { environmentId: env.id, flagKey: flag.key, variant: "gpt-4o", minute: new Date(Math.floor(now.getTime() / 60_000) * 60_000) } },
      data: { successes: 996 },
    });

    const created = await createSlo(
      operator,
      body({ name: "bot availability", flagKey: flag.key, successRateTarget: 0.999, latencyP95MsMax: 2000, policies: [{ on: "budget_exhausted", actions: ["freeze_promotions"] }] }),
    );
    expect(created.status.budget).toMatchObject({ windowTotal: 10_000, windowFailures: 4, exhausted: false });
    expect(created.status.budget.remainingFraction).toBeCloseTo(0.6, 6);
    expect(created.status.budget.text).toBe("4 failures vs 10 allowed over 28 days (99.9% target)");
    expect(created.status.performance.latency.p95).toBeGreaterThan(780);
    expect(created.status.burnRates.map((b) => b.window)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    expect(created.burnChart.points).toHaveLength(145);
    // The detail's charts: the 5-minute burn next to the 1-hour one, and the budget across the
    // window ending at the very number the status shows.
    const lastBurn = created.burnChart.points.at(-1)!;
    expect(lastBurn.shortBurnRate).toBe(created.status.burnRates.find((b) => b.window === "5m")!.rate);
    expect(lastBurn.burnRate).toBe(created.status.burnRates.find((b) => b.window === "1h")!.rate);
    expect(created.budgetChart.points).toHaveLength(57);
    expect(created.budgetChart.points.at(-1)!.remainingFraction).toBe(created.status.budget.remainingFraction);
    expect(created.budgetChart.points[0]!.remainingFraction).toBe(1);
    expect(now.getTime() - new Date(created.budgetChart.points[0]!.at).getTime()).toBeCloseTo(28 * 86_400_000, -4);
    expect(await db.auditRecord.count({ where: { resourceId: created.id, action: "slo.create" } })).toBe(1);

    const listed = await listSlos(operator, env.key);
    expect(listed.slos.map((s) => s.id)).toContain(created.id);

    const updated = await updateSlo(operator, created.id, body({ name: "bot availability v2", flagKey: flag.key, successRateTarget: 0.99, windowDays: 7 }));
    expect(updated).toMatchObject({ name: "bot availability v2", windowDays: 7, policies: [] });
    const audit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: created.id, action: "slo.update" } });
    expect((audit.before as { name: string }).name).toBe("bot availability");

    await deleteSlo(operator, created.id);
    await expect(getSlo(operator, created.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await db.auditRecord.count({ where: { resourceId: created.id, action: "slo.delete" } })).toBe(1);
  });

  test("a flag SLO needs an existing flag, and a circuit break an existing variant", async () => {
    await expect(createSlo(operator, body({ name: "x", flagKey: "no-such.flag", successRateTarget: 0.99 }))).rejects.toMatchObject({ code: "invalid_input" });
    const flag = await createTestFlag(env.id);
    await expect(
      createSlo(operator, body({ name: "x", flagKey: flag.key, successRateTarget: 0.99, policies: [{ on: "page", actions: ["circuit_break_variant"], variant: "nope" }] })),
    ).rejects.toMatchObject({ code: "invalid_input", details: { errors: [{ path: "policies.0.variant" }] } });
  });

  test("a viewer cannot create an SLO through the API; a manage key can", async () => {
    const flag = await createTestFlag(env.id);
    const res = await api(createSloRoute, "/api/v1/slos", { method: "POST", body: JSON.stringify({ environment: env.key, name: "api slo", flagKey: flag.key, successRateTarget: 0.995 }) });
    expect(res.status).toBe(201);
    expect(res.json.name).toBe("api slo");
    const bad = await api(createSloRoute, "/api/v1/slos", { method: "POST", body: JSON.stringify({ environment: env.key, name: "x", successRateTarget: 99.5 }) });
    expect(bad.status).toBe(400);
    expect(bad.json.details.errors[0].path).toBe("successRateTarget");
  });
});

describe("the freeze rule", () => {
  test("an exhausted budget refuses promote (service and API) with the reason; rollback is still allowed", async () => {
    const { rolloutId, flag } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500 }, { trafficBasisPoints: 10_000 }]));
    expect((await getPromotionFreeze(env.id, flag.key)).active).toBe(false);

    // 99% target over 28 days: 2,000 requests allow 20 failures; 30 failed.
    await addFlagMinutes(env.id, flag.key, "gpt-4o", new Date(), 2, 1000, 15);
    await createSlo(operator, body({ name: "strict availability", flagKey: flag.key, successRateTarget: 0.99, policies: [{ on: "budget_exhausted", actions: ["freeze_promotions", "notify"] }] }));

    const freeze = await getPromotionFreeze(env.id, flag.key);
    expect(freeze).toMatchObject({ active: true });
    expect(freeze.reason).toBe('Promotions frozen, error budget exhausted. SLO "strict availability": 30 failures vs 20 allowed over 28 days (99% target)');

    const refusal = runRolloutCommand(operator, { rolloutId, command: "promote" });
    await expect(refusal).rejects.toMatchObject({ code: "conflict", details: { reason: "freeze_active" } });
    await expect(refusal).rejects.toThrow(/promotions are frozen \(Promotions frozen, error budget exhausted\. SLO "strict availability": 30 failures vs 20 allowed/);

    const viaApi = await api(commandRoute, `/api/v1/rollouts/${rolloutId}/promote`, { method: "POST" }, { id: rolloutId, command: "promote" });
    expect(viaApi.status).toBe(409);
    expect(viaApi.json.detail).toContain("error budget exhausted");
    expect(viaApi.json.details.freezeReason).toContain("strict availability");

    const frozen = await api(freezeRoute, `/api/v1/slos/freeze?environment=${env.key}&flagKey=${flag.key}`, { method: "GET" });
    expect(frozen.json).toMatchObject({ active: true });

    const rollback = await api(commandRoute, `/api/v1/rollouts/${rolloutId}/rollback`, { method: "POST", body: JSON.stringify({ comment: "budget gone" }) }, { id: rolloutId, command: "rollback" });
    expect(rollback.status).toBe(200);
    expect(rollback.json.state).toBe("rolled_back");
  });

  test("an SLO without a freeze policy does not freeze; an environment-wide one covers every flag", async () => {
    const flag = await createTestFlag(env.id);
    await addFlagMinutes(env.id, flag.key, "gpt-4o", new Date(), 1, 100, 50);
    const slo = await createSlo(operator, body({ name: "no freeze", flagKey: flag.key, successRateTarget: 0.99 }));
    expect(slo.status.budget.exhausted).toBe(true);
    expect((await getPromotionFreeze(env.id, flag.key)).active).toBe(false);

    const other = await createTestEnvironment("slo-wide");
    const otherFlag = await createTestFlag(other.id);
    await addFlagMinutes(other.id, otherFlag.key, "gpt-4o", new Date(), 1, 100, 50);
    await createSlo(operator, sloBodySchema.parse({ environment: other.key, name: "whole env", successRateTarget: 0.99, policies: [{ on: "budget_exhausted", actions: ["freeze_promotions"] }] }));
    expect((await getPromotionFreeze(other.id, otherFlag.key)).active).toBe(true);
  });
});

describe("breach policies in the evaluator", () => {
  const deps = () => defaultTickDeps(getEnv(), { thinner: createThinner(0), log: () => undefined });

  test("a page alert notifies, rolls back the flag's active rollout, once per firing", async () => {
    const { rolloutId, flag } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500 }, { trafficBasisPoints: 10_000 }]));
    const hook = await createWebhook(env.id, "http://127.0.0.1:9/never", ["slo.alert"]);
    const now = new Date();
    // 30% errors for the last hour against a 99.9% target: burn rate 300× over 1 h and 5 min.
    await addFlagMinutes(env.id, flag.key, "gpt-4.1", now, 60, 100, 30);
    const slo = await createSlo(operator, body({ name: "bot errors", flagKey: flag.key, successRateTarget: 0.999, policies: [{ on: "page", actions: ["notify", "rollback_active_rollouts"] }] }));

    const report = await runEvaluatorTick(deps(), now);
    expect(report.slos.find((s) => s.sloId === slo.id)).toMatchObject({ fired: expect.arrayContaining(["page", "budget_exhausted"]), actions: [`rollback ${rolloutId}`] });

    const rollout = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(rollout.state).toBe("rolled_back");
    expect(rollout.lastAutomaticAction).toMatch(/^Rolled back at \d\d:\d\d UTC: SLO "bot errors": Error budget burning too fast \(page\): 300× over 1 h and 300× over 5 min \(threshold 14\.4×\)/);
    const rollbackAudit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: rolloutId, action: "rollout.rollback" } });
    expect(rollbackAudit.actorType).toBe("system");
    expect((rollbackAudit.context as { automation: { sloId: string; burnRates: Record<string, number> } }).automation).toMatchObject({ sloId: slo.id, burnRates: { "1h": 300, "5m": 300 } });

    const alert = await db.auditRecord.findFirstOrThrow({ where: { resourceId: slo.id, action: "slo.alert", context: { path: ["trigger"], equals: "page" } } });
    expect(alert.actorType).toBe("system");
    expect((alert.context as { reason: string }).reason).toContain("300×");
    // Other SLOs of this file's environment may notify the same webhook: look at this SLO's.
    const ours = async () => (await db.webhookDelivery.findMany({ where: { webhookId: hook.id } })).filter((d) => (d.payload as { slo?: { id: string } }).slo?.id === slo.id);
    const deliveries = await ours();
    expect(deliveries).toHaveLength(1);
    expect((deliveries[0]!.payload as { text: string; alert: { trigger: string } }).alert.trigger).toBe("page");
    expect((deliveries[0]!.payload as { text: string }).text).toContain('SLO "bot errors"');

    // Still firing on the next tick: no second alert, no second webhook.
    const alerts = await db.auditRecord.count({ where: { resourceId: slo.id, action: "slo.alert" } });
    expect(alerts).toBe(3); // page, ticket and budget_exhausted: one record each
    await runEvaluatorTick(deps(), new Date(now.getTime() + 2000));
    expect(await db.auditRecord.count({ where: { resourceId: slo.id, action: "slo.alert" } })).toBe(alerts);
    expect(await ours()).toHaveLength(1);
  });

  test("switch to fallback turns the kill switch on, audited by system; evaluation serves the fallback", async () => {
    const flag = await createTestFlag(env.id);
    const now = new Date();
    await addFlagMinutes(env.id, flag.key, "gpt-4o", now, 60, 100, 30);
    const slo = await createSlo(operator, body({ name: "fallback slo", flagKey: flag.key, successRateTarget: 0.999, policies: [{ on: "page", actions: ["switch_to_fallback"] }] }));
    await runEvaluatorTick(deps(), now);
    const after = await db.flag.findUniqueOrThrow({ where: { id: flag.id } });
    expect(after.killSwitch).toBe(true);
    expect(after.killSwitchReason).toContain('SLO "fallback slo"');
    const audit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: flag.id, action: "flag.kill_switch" } });
    expect(audit.actorType).toBe("system");
    expect((audit.context as { sloId: string }).sloId).toBe(slo.id);
    const snapshot = await loadFlagSnapshot(db, env.id, flag.key);
    expect(snapshot?.killSwitch).toBe(true);
    expect((await db.sloAlertState.findUniqueOrThrow({ where: { sloId_trigger: { sloId: slo.id, trigger: "page" } } })).handledAt).not.toBeNull();
  });

  test("an alert resolves when the burn stops, audited", async () => {
    const flag = await createTestFlag(env.id);
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3_600_000);
    await addFlagMinutes(env.id, flag.key, "gpt-4o", start, 60, 100, 30);
    const slo = await createSlo(operator, body({ name: "resolving", flagKey: flag.key, successRateTarget: 0.999, policies: [{ on: "page", actions: ["notify"] }] }));
    await runEvaluatorTick(deps(), start);
    expect((await db.sloAlertState.findUniqueOrThrow({ where: { sloId_trigger: { sloId: slo.id, trigger: "page" } } })).firing).toBe(true);
    // Two hours later with clean traffic in the last 5 minutes: the short window clears the alert.
    await addFlagMinutes(env.id, flag.key, "gpt-4o", new Date(start.getTime() + 2 * 3_600_000), 10, 100, 0);
    await runEvaluatorTick(deps(), new Date(start.getTime() + 2 * 3_600_000));
    const state = await db.sloAlertState.findUniqueOrThrow({ where: { sloId_trigger: { sloId: slo.id, trigger: "page" } } });
    expect(state.firing).toBe(false);
    expect(await db.auditRecord.count({ where: { resourceId: slo.id, action: "slo.alert_resolved" } })).toBeGreaterThanOrEqual(1);
  });
});
