/**
 * One evaluator tick: every active rollout (running, paused, awaiting approval), then every SLO.
 * Rollouts are evaluated a few at a time; one failing rollout or SLO is logged and skipped, never
 * stopping the others.
 */
import { ACTIVE_STATES } from "../../domain/rollouts";
import { rolloutInclude } from "../services/rollouts/rollout-record";
import { evaluateRolloutStep, type RolloutStepDeps, type RolloutStepResult } from "./rollout-step";
import { evaluateSloStep, type SloStepDeps, type SloStepResult } from "./slo-step";

export type TickDeps = RolloutStepDeps & SloStepDeps;

export interface TickReport {
  startedAt: Date;
  durationMs: number;
  rollouts: RolloutStepResult[];
  slos: SloStepResult[];
  errors: number;
}

/** Rollouts evaluated at once: the analysis is a few queries each; the pool has 10 connections. */
export const ROLLOUT_CONCURRENCY = 4;

export async function runEvaluatorTick(deps: TickDeps, now: Date): Promise<TickReport> {
  const started = performance.now();
  const report: TickReport = { startedAt: now, durationMs: 0, rollouts: [], slos: [], errors: 0 };

  const rollouts = await deps.client.rollout.findMany({
    where: { state: { in: [...ACTIVE_STATES] } },
    include: rolloutInclude,
    orderBy: { createdAt: "asc" },
  });
  await forEachLimited(rollouts, ROLLOUT_CONCURRENCY, async (row) => {
    try {
      report.rollouts.push(await evaluateRolloutStep(row, deps, now));
    } catch (error) {
      report.errors++;
      deps.log(`rollout ${row.id}: evaluation failed`, error);
    }
  });

  const slos = await deps.client.slo.findMany({ include: { environment: { select: { key: true } } }, orderBy: { createdAt: "asc" } });
  for (const slo of slos) {
    try {
      report.slos.push(await evaluateSloStep(slo, deps, now));
    } catch (error) {
      report.errors++;
      deps.log(`SLO ${slo.id}: evaluation failed`, error);
    }
  }
  report.durationMs = performance.now() - started;
  return report;
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}
