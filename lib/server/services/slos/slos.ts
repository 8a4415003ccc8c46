/**
 * SLOs: create, replace, delete (each in one transaction with its audit record), and read with
 * their live status — error budget, burn rates, multi-window alerts, ceilings, what the breach
 * policies ask for, whether they freeze promotions — and, for one SLO, the burn-rate chart.
 */
import "server-only";
import { DomainError } from "../../../domain/errors";
import { budgetSeries, burnRateSeries, indexMinuteCounts } from "../../../domain/slo";
import type { SloBody } from "../../../schemas/slo";
import { recordAudit } from "../../audit/record-audit";
import type { Actor } from "../../auth/actor";
import { assertEnvironment } from "../../auth/access";
import { hourlySeries, minuteSeries } from "./slo-metrics";
import { computeSloStatus, type SloStatus } from "./slo-status";
import { db, type DbOrTx, type Tx } from "../../db";
import { getEnvironmentByKey } from "../environments";

/**
 * The burn-rate chart: the 1-hour (long) and 5-minute (short) burn rates of the fast page alert,
 * every 10 minutes over the last 24 hours.
 */
export const BURN_CHART = { hours: 24, windowMinutes: 60, shortWindowMinutes: 5, stepMinutes: 10 } as const;
/** The budget chart: the rolling error budget at this many points across the SLO's window. */
export const BUDGET_CHART_POINTS = 57;

type SloRecord = Awaited<ReturnType<typeof loadSlo>>;

async function loadSlo(client: DbOrTx, id: string) {
  const slo = await client.slo.findUnique({ where: { id }, include: { environment: { select: { id: true, key: true, name: true } }, alertStates: true } });
  if (!slo) throw new DomainError("not_found", "No such SLO.", { sloId: id });
  return slo;
}

function view(slo: SloRecord, status: SloStatus) {
  const since = (trigger: string) => slo.alertStates.find((s) => s.trigger === trigger && s.firing)?.since ?? null;
  return {
    id: slo.id,
    name: slo.name,
    environment: slo.environment,
    flagKey: slo.flagKey,
    successRateTarget: slo.successRateTarget,
    windowDays: slo.windowDays,
    latencyP50MsMax: slo.latencyP50MsMax,
    latencyP95MsMax: slo.latencyP95MsMax,
    latencyP99MsMax: slo.latencyP99MsMax,
    costPerRequestUsdMax: slo.costPerRequestUsdMax,
    costPerDayUsdMax: slo.costPerDayUsdMax,
    policies: status.slo.policies,
    createdAt: slo.createdAt,
    updatedAt: slo.updatedAt,
    status: {
      evaluatedAt: status.evaluatedAt,
      budget: { ...status.budget, text: status.budgetText },
      burnRates: status.burnRates,
      alerts: status.alerts,
      breaches: [...status.latencyBreaches, ...status.costBreaches].map((b) => ({ metric: b.metric, observed: b.observed, ceiling: b.ceiling, message: b.message })),
      performance: status.performance,
      triggers: status.triggers.map((t) => ({ ...t, since: since(t.trigger) })),
      /** What the policies call for now. */
      actions: status.decisions.map((d) => ({ action: d.action, triggers: d.triggers, variant: d.variant ?? null, reason: d.reason })),
      freezesPromotions: status.decisions.some((d) => d.action === "freeze_promotions"),
    },
  };
}

export type SloView = ReturnType<typeof view>;

export async function listSlos(actor: Actor, environmentKey: string, now: Date = new Date()) {
  const environment = await getEnvironmentByKey(environmentKey);
  assertEnvironment(actor, environment.id);
  const rows = await db.slo.findMany({
    where: { environmentId: environment.id },
    include: { environment: { select: { id: true, key: true, name: true } }, alertStates: true },
    orderBy: [{ createdAt: "asc" }],
  });
  const slos: SloView[] = [];
  for (const row of rows) slos.push(view(row, await computeSloStatus(db, row, now)));
  return { environment: { id: environment.id, key: environment.key, name: environment.name }, slos };
}

/** Whether an SLO with this id exists (ids that are not UUIDs simply do not). */
export async function sloExists(id: string): Promise<boolean> {
  return (await db.slo.count({ where: { id } })) > 0;
}

export async function getSlo(actor: Actor, id: string, now: Date = new Date()) {
  const slo = await loadSlo(db, id);
  assertEnvironment(actor, slo.environmentId);
  const status = await computeSloStatus(db, slo, now);
  const minutes = BURN_CHART.hours * 60 + BURN_CHART.windowMinutes;
  const series = await minuteSeries(db, { environmentId: slo.environmentId, flagKey: slo.flagKey }, now, minutes);
  const points = Math.floor((BURN_CHART.hours * 60) / BURN_CHART.stepMinutes) + 1;
  const index = indexMinuteCounts(series);
  const burn = burnRateSeries(index, now, BURN_CHART.windowMinutes, BURN_CHART.stepMinutes, points, slo.successRateTarget);
  const shortBurn = burnRateSeries(index, now, BURN_CHART.shortWindowMinutes, BURN_CHART.stepMinutes, points, slo.successRateTarget);
  // Each point's rolling window reaches one SLO window further back; hourly buckets suffice there.
  const hourly = await hourlySeries(db, { environmentId: slo.environmentId, flagKey: slo.flagKey }, now, 2 * status.slo.windowDays * 24 + 1);
  const budget = budgetSeries(status.slo, hourly, now, BUDGET_CHART_POINTS);
  // The last point is the exact number the list and the gates show (one number, one aggregate).
  budget[budget.length - 1] = { at: now, remainingFraction: status.budget.remainingFraction };
  const history = await db.auditRecord.findMany({
    where: { resourceType: "slo", resourceId: id, action: { in: ["slo.alert", "slo.alert_resolved"] } },
    orderBy: { id: "desc" },
    take: 20,
    select: { occurredAt: true, action: true, context: true },
  });
  return {
    ...view(slo, status),
    burnChart: {
      ...BURN_CHART,
      points: burn.map((p, i) => ({ at: p.at, burnRate: p.burnRate, shortBurnRate: shortBurn[i]?.burnRate ?? 0, total: p.total, failures: p.failures })),
    },
    budgetChart: { windowDays: status.slo.windowDays, points: budget },
    alertHistory: history.map((h) => ({
      at: h.occurredAt,
      state: h.action === "slo.alert" ? ("fired" as const) : ("resolved" as const),
      trigger: String((h.context as { trigger?: string }).trigger ?? ""),
      reason: String((h.context as { reason?: string }).reason ?? ""),
    })),
  };
}

export type SloDetail = Awaited<ReturnType<typeof getSlo>>;

export async function createSlo(actor: Actor, body: SloBody, ctx: { requestId?: string } = {}) {
  const environment = await getEnvironmentByKey(body.environment);
  assertEnvironment(actor, environment.id);
  const id = await db.$transaction((tx) => createSloInTx(tx, actor, environment.id, body, ctx));
  return getSlo(actor, id);
}

/** The write of a create inside the caller's transaction (also config-as-code apply); answers the id. */
export async function createSloInTx(tx: Tx, actor: Actor, environmentId: string, body: SloBody, ctx: { requestId?: string } = {}): Promise<string> {
  await assertFlagAndVariants(tx, environmentId, body);
  const data = columns(body);
  const slo = await tx.slo.create({ data: { environmentId, ...data } });
  await recordAudit(tx, {
    actor,
    action: "slo.create",
    resourceType: "slo",
    resourceId: slo.id,
    environmentId,
    after: data,
    context: { requestId: ctx.requestId, name: slo.name, flagKey: slo.flagKey },
  });
  return slo.id;
}

/** PUT: a full replacement. The environment of an SLO cannot change. */
export async function updateSlo(actor: Actor, id: string, body: SloBody, ctx: { requestId?: string } = {}) {
  await db.$transaction((tx) => updateSloInTx(tx, actor, id, body, ctx));
  return getSlo(actor, id);
}

/** The write of a replacement inside the caller's transaction (also config-as-code apply). */
export async function updateSloInTx(tx: Tx, actor: Actor, id: string, body: SloBody, ctx: { requestId?: string } = {}): Promise<void> {
  const before = await loadSlo(tx, id);
  assertEnvironment(actor, before.environmentId);
  if (before.environment.key !== body.environment) {
    throw new DomainError("invalid_input", `An SLO cannot move to another environment (it belongs to ${before.environment.key}).`, { field: "environment" });
  }
  await assertFlagAndVariants(tx, before.environmentId, body);
  const data = columns(body);
  await tx.slo.update({ where: { id }, data });
  await recordAudit(tx, {
    actor,
    action: "slo.update",
    resourceType: "slo",
    resourceId: id,
    environmentId: before.environmentId,
    before: stored(before),
    after: data,
    context: { requestId: ctx.requestId, name: data.name },
  });
  // Alerts fired under the old definition no longer say anything: the next tick re-evaluates.
  await tx.sloAlertState.deleteMany({ where: { sloId: id } });
}

export async function deleteSlo(actor: Actor, id: string, ctx: { requestId?: string } = {}): Promise<void> {
  await db.$transaction((tx) => deleteSloInTx(tx, actor, id, ctx));
}

/** The write of a delete inside the caller's transaction (also config-as-code `apply --prune`). */
export async function deleteSloInTx(tx: Tx, actor: Actor, id: string, ctx: { requestId?: string } = {}): Promise<void> {
  const before = await loadSlo(tx, id);
  assertEnvironment(actor, before.environmentId);
  await tx.slo.delete({ where: { id } });
  await recordAudit(tx, {
    actor,
    action: "slo.delete",
    resourceType: "slo",
    resourceId: id,
    environmentId: before.environmentId,
    before: stored(before),
    context: { requestId: ctx.requestId },
  });
}

function columns(body: SloBody) {
  return {
    name: body.name,
    flagKey: body.flagKey ?? null,
    successRateTarget: body.successRateTarget,
    windowDays: body.windowDays,
    latencyP50MsMax: body.latencyP50MsMax ?? null,
    latencyP95MsMax: body.latencyP95MsMax ?? null,
    latencyP99MsMax: body.latencyP99MsMax ?? null,
    costPerRequestUsdMax: body.costPerRequestUsdMax ?? null,
    costPerDayUsdMax: body.costPerDayUsdMax ?? null,
    policies: JSON.parse(JSON.stringify(body.policies ?? [])) as object[],
  };
}

/** The stored definition, for audit records. */
function stored(row: SloRecord) {
  return {
    name: row.name,
    flagKey: row.flagKey,
    successRateTarget: row.successRateTarget,
    windowDays: row.windowDays,
    latencyP50MsMax: row.latencyP50MsMax,
    latencyP95MsMax: row.latencyP95MsMax,
    latencyP99MsMax: row.latencyP99MsMax,
    costPerRequestUsdMax: row.costPerRequestUsdMax,
    costPerDayUsdMax: row.costPerDayUsdMax,
    policies: row.policies,
  };
}

/** A flag-scoped SLO needs the flag; a circuit break needs the variant to exist on it. */
async function assertFlagAndVariants(tx: DbOrTx, environmentId: string, body: SloBody): Promise<void> {
  if (!body.flagKey) return;
  const flag = await tx.flag.findUnique({ where: { environmentId_key: { environmentId, key: body.flagKey } }, select: { variants: true, archivedAt: true } });
  if (!flag || flag.archivedAt) {
    throw new DomainError("invalid_input", `Flag "${body.flagKey}" does not exist in this environment.`, { errors: [{ path: "flagKey", message: "no such flag in this environment" }] });
  }
  const keys = Array.isArray(flag.variants) ? flag.variants.map((v) => String((v as { key?: unknown }).key)) : [];
  body.policies.forEach((p, i) => {
    if (p.variant && !keys.includes(p.variant)) {
      throw new DomainError("invalid_input", `Flag "${body.flagKey}" has no variant "${p.variant}".`, {
        errors: [{ path: `policies.${i}.variant`, message: `no such variant; one of ${keys.join(", ")}` }],
      });
    }
  });
}
