/**
 * The evaluator's real dependencies: the metrics service's analysis, the rollout command
 * service, the SLO numbers, Prometheus (when PROMETHEUS_URL is set) and the kill switch.
 * Tests replace any of them.
 */
import "server-only";
import { MINUTES_PER_DAY, errorBudget } from "../../domain/slo";
import type { Env } from "../../env";
import { appUrl } from "../../env";
import { SYSTEM_ACTOR } from "../auth/actor";
import { db, type Db } from "../db";
import { getRolloutAnalysis } from "../services/metrics/analysis";
import { getPromotionFreeze } from "../services/promotion-freeze";
import { runRolloutCommand } from "../services/rollouts/run-rollout-command";
import { defaultThinner } from "../services/gates/gate-results";
import { engageKillSwitch } from "../services/flags/kill-switch";
import { queryPrometheus } from "./prometheus";
import { windowCountIndex } from "../services/slos/slo-metrics";
import { toSloDefinition } from "../services/slos/slo-status";
import type { TickDeps } from "./tick";

/** Gate results are stored at least this far apart per gate unless the verdict changes. */
export function gateResultSpacingMs(intervalSeconds: number): number {
  return Math.max(intervalSeconds, 15) * 1000;
}

export function defaultTickDeps(env: Env, overrides: Partial<TickDeps> = {}, client: Db = db): TickDeps {
  const promUrl = env.PROMETHEUS_URL;
  return {
    client,
    analyze: (rolloutId, request) => getRolloutAnalysis(SYSTEM_ACTOR, rolloutId, { from: request.from?.toISOString(), to: request.to.toISOString(), stage: request.stage }, request.to),
    runCommand: (actor, request, ctx) => runRolloutCommand(actor, request, ctx),
    sloBudgetRemaining: (environmentId, flagKey, sloId, now) => smallestBudget(client, environmentId, flagKey, sloId, now),
    promotionFreeze: (environmentId, flagKey, now) => getPromotionFreeze(environmentId, flagKey, { client, now }),
    promql: promUrl ? (query, now) => queryPrometheus(promUrl, query, now) : undefined,
    killSwitch: (input) => engageKillSwitch(client, input),
    thinner: defaultThinner(gateResultSpacingMs(env.ROLLGATE_EVALUATOR_INTERVAL_SECONDS)),
    log: (message, error) => console.warn(`[evaluator] ${message}${error ? `: ${(error as Error).message ?? String(error)}` : ""}`),
    appUrl: appUrl(env).replace(/\/$/, ""),
    ...overrides,
  };
}

/** Smallest remaining error-budget fraction among the flag's SLOs (or one SLO); null when none apply. */
async function smallestBudget(client: Db, environmentId: string, flagKey: string, sloId: string | undefined, now: Date): Promise<number | null> {
  const rows = await client.slo.findMany({ where: sloId ? { id: sloId, environmentId } : { environmentId, OR: [{ flagKey }, { flagKey: null }] } });
  let smallest: number | null = null;
  for (const row of rows) {
    const slo = toSloDefinition(row);
    const minutes = slo.windowDays * MINUTES_PER_DAY;
    const index = await windowCountIndex(client, { environmentId, flagKey: slo.flagKey }, now, [minutes]);
    const remaining = errorBudget(slo, index, now).remainingFraction;
    smallest = smallest === null ? remaining : Math.min(smallest, remaining);
  }
  return smallest;
}
