/**
 * Whether promotions of a flag are frozen by its SLOs (those of the flag and the environment-wide
 * ones). Two sources:
 * - the freeze rule, computed live: an SLO with a `budget_exhausted → freeze_promotions` policy
 *   whose error budget is exhausted (lib/domain/slo promotionFreeze);
 * - any other trigger with a `freeze_promotions` policy (page/ticket burn-rate alerts, latency or
 *   cost breaches) while the evaluator has it firing (slo_alert_states).
 * Rollback and abort are never frozen; the rollout state machine only checks the freeze on
 * start, promote, approve and skip_analysis.
 */
import "server-only";
import { MINUTES_PER_DAY, errorBudget, promotionFreeze, type ErrorBudget } from "../../domain/slo";
import { windowCountIndex } from "./slos/slo-metrics";
import { toSloDefinition } from "./slos/slo-status";
import { db, type DbOrTx } from "../db";

export interface PromotionFreezeStatus {
  active: boolean;
  /** Why, with the numbers; says what was checked when not active. */
  reason: string;
  sloIds: string[];
}

export async function getPromotionFreeze(environmentId: string, flagKey: string, opts: { client?: DbOrTx; now?: Date } = {}): Promise<PromotionFreezeStatus> {
  const client = opts.client ?? db;
  const now = opts.now ?? new Date();
  const rows = await client.slo.findMany({ where: { environmentId, OR: [{ flagKey }, { flagKey: null }] }, orderBy: { createdAt: "asc" } });
  if (rows.length === 0) return { active: false, reason: "No SLO covers this flag", sloIds: [] };
  const slos = rows.map(toSloDefinition);

  const budgets = new Map<string, ErrorBudget>();
  for (const slo of slos) {
    if (!slo.policies.some((p) => p.on === "budget_exhausted" && p.actions.includes("freeze_promotions"))) continue;
    const windowMinutes = slo.windowDays * MINUTES_PER_DAY;
    const index = await windowCountIndex(client, { environmentId, flagKey: slo.flagKey }, now, [windowMinutes]);
    budgets.set(slo.id, errorBudget(slo, index, now));
  }
  const byBudget = promotionFreeze(slos, budgets);

  const firing = await client.sloAlertState.findMany({
    where: { sloId: { in: slos.map((s) => s.id) }, firing: true, trigger: { not: "budget_exhausted" } },
    orderBy: { since: "asc" },
  });
  const byAlert = firing.flatMap((state) => {
    const slo = slos.find((s) => s.id === state.sloId);
    const freezes = slo?.policies.some((p) => p.on === state.trigger && p.actions.includes("freeze_promotions"));
    if (!slo || !freezes) return [];
    const reason = (state.details as { reason?: string } | null)?.reason ?? `${state.trigger} alert firing`;
    return [{ sloId: slo.id, text: `SLO "${slo.name}": ${reason}` }];
  });

  if (!byBudget.active && byAlert.length === 0) return { active: false, reason: byBudget.reason, sloIds: [] };
  const parts = [...(byBudget.active ? [byBudget.reason] : []), ...(byAlert.length ? [`Promotions frozen while an SLO alert fires. ${byAlert.map((a) => a.text).join("; ")}`] : [])];
  return { active: true, reason: parts.join(" "), sloIds: [...new Set([...byBudget.sloIds, ...byAlert.map((a) => a.sloId)])] };
}
