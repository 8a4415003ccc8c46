/**
 * One evaluator tick: the active rollouts (running, paused, awaiting approval), then every SLO.
 * One query reads every active rollout's version and current-stage counts; with `watermarks`
 * (the leader's memory, rollout-watermarks.ts) only the rollouts with a changed row, new data or
 * a due time-based change get the full step, so a tick costs in proportion to those. Their rows
 * are loaded in one query and evaluated a few at a time; one failing rollout or SLO is logged
 * and skipped, never stopping the others.
 */
import "server-only";
import { ACTIVE_STATES } from "../../domain/rollouts";
import { rolloutInclude } from "../services/rollouts/rollout-record";
import { evaluateRolloutStep, type RolloutStepDeps, type RolloutStepResult } from "./rollout-step";
import { loadRolloutMarks, type RolloutMark, type RolloutWatermarks } from "./rollout-watermarks";
import { evaluateSloStep, type SloStepDeps, type SloStepResult } from "./slo-step";

export type TickDeps = RolloutStepDeps & SloStepDeps;

export interface TickReport {
  startedAt: Date;
  durationMs: number;
  rollouts: RolloutStepResult[];
  slos: SloStepResult[];
  /** Active rollouts left alone: nothing changed since their last decision. */
  skipped: number;
  errors: number;
}

/** Rollouts evaluated at once: the analysis is a few queries each; the pool has 10 connections. */
export const ROLLOUT_CONCURRENCY = 4;

/** Without `watermarks` every active rollout gets the full step (tests, one-off ticks). */
export async function runEvaluatorTick(deps: TickDeps, now: Date, opts: { watermarks?: RolloutWatermarks } = {}): Promise<TickReport> {
  const started = performance.now();
  const report: TickReport = { startedAt: now, durationMs: 0, rollouts: [], slos: [], skipped: 0, errors: 0 };
  const { watermarks } = opts;

  const marks = await loadRolloutMarks(deps.client);
  watermarks?.retainOnly(marks);
  const due = new Map<string, RolloutMark>();
  for (const m of marks) if (!watermarks || watermarks.isDue(m, now)) due.set(m.id, m);
  report.skipped = marks.length - due.size;
  const rollouts =
    due.size === 0 ? [] : await deps.client.rollout.findMany({ where: { id: { in: [...due.keys()] }, state: { in: [...ACTIVE_STATES] } }, include: rolloutInclude, orderBy: { createdAt: "asc" } });
  await forEachLimited(rollouts, ROLLOUT_CONCURRENCY, async (row) => {
    const mark = due.get(row.id);
    if (!mark) return; // every loaded row was asked for by id, so each has its mark
    try {
      // The counts read with the mark serve the step only while the row is the one they belong to
      // (and when they hold the exposures, which the audit of an action records).
      const current = mark.version === row.version && mark.stageIndex === row.currentStageIndex;
      const result = await evaluateRolloutStep(row, deps, now, current && mark.exposuresCounted ? { counts: mark.counts } : {});
      report.rollouts.push(result);
      if (current) watermarks?.record(mark, row, result, now);
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
