/**
 * The background evaluator loop of one instance. Every interval it asks the leader lock whether
 * this instance is the one that evaluates (Postgres advisory lock on a dedicated connection);
 * only the holder runs a tick, so two instances never act on the same numbers twice. Ticks never
 * overlap: the next one is scheduled when the previous one ends, `intervalMs` after it began
 * (at once if a tick took longer than the interval).
 *
 * Between ticks, `recheck(ids)` (called when ingested outcomes touch running rollouts) re-checks
 * those rollouts' critical gates, each at most once per RECHECK_INTERVAL_MS, and acts only on a
 * rollback: a regression is rolled back as soon as the evidence is enough, not at the next tick.
 * The always-valid intervals keep such continuous looking honest (see the A/A simulation test).
 *
 * A tick does the full step only for rollouts whose row, data or time-based conditions changed
 * since this leader's last decision on them (rollout-watermarks.ts); that memory is dropped
 * whenever this instance is not the leader.
 */
import "server-only";
import { ACTIVE_STATES } from "../../domain/rollouts";
import { countEvaluatorTick } from "../observability";
import { rolloutInclude } from "../services/rollouts/rollout-record";
import type { LeaderLock } from "./leader";
import { evaluateRolloutStep, type RolloutStepResult } from "./rollout-step";
import { createRolloutWatermarks } from "./rollout-watermarks";
import { runEvaluatorTick, type TickDeps, type TickReport } from "./tick";

/** Shortest time between two event-driven re-checks of one rollout. */
export const RECHECK_INTERVAL_MS = 1_000;

export interface Evaluator {
  /** Runs one tick now if this instance is the leader; null when another instance is. */
  tickNow(): Promise<TickReport | null>;
  /** Asks for an event-driven re-check of these rollouts' critical gates (throttled, leader only). */
  recheck(rolloutIds: readonly string[]): void;
  /** Resolves when the re-checks asked for so far have run (tests and benchmarks). */
  rechecksSettled(): Promise<RolloutStepResult[]>;
  start(): void;
  stop(): Promise<void>;
}

export function createEvaluator(opts: { deps: TickDeps; lock: LeaderLock; intervalMs: number; now?: () => Date; onTick?: (report: TickReport) => void; recheckIntervalMs?: number }): Evaluator {
  const now = opts.now ?? (() => new Date());
  const recheckInterval = opts.recheckIntervalMs ?? RECHECK_INTERVAL_MS;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<TickReport | null> | null = null;
  let stopped = false;
  const pending = new Set<string>();
  /** Rollout id → when it was last re-checked; entries older than the interval are dropped. */
  const lastChecked = new Map<string, number>();
  let recheckTimer: NodeJS.Timeout | null = null;
  let rechecking: Promise<RolloutStepResult[]> = Promise.resolve([]);
  const watermarks = createRolloutWatermarks();

  function scheduleRechecks(): void {
    if (stopped || recheckTimer || pending.size === 0) return;
    const t = Date.now();
    let wait = Infinity;
    for (const id of pending) wait = Math.min(wait, Math.max(0, (lastChecked.get(id) ?? 0) + recheckInterval - t));
    recheckTimer = setTimeout(() => {
      recheckTimer = null;
      rechecking = rechecking.then(runRechecks, runRechecks);
    }, wait);
    recheckTimer.unref();
  }

  async function runRechecks(): Promise<RolloutStepResult[]> {
    const t = Date.now();
    for (const [id, at] of lastChecked) if (t - at >= recheckInterval) lastChecked.delete(id);
    const due = [...pending].filter((id) => !lastChecked.has(id));
    for (const id of due) {
      pending.delete(id);
      lastChecked.set(id, t);
    }
    const results: RolloutStepResult[] = [];
    try {
      // A tick in progress evaluates everything anyway; the leader alone acts.
      if (due.length === 0 || running || !(await opts.lock.ensure())) return results;
      const rows = await opts.deps.client.rollout.findMany({ where: { id: { in: due }, state: { in: [...ACTIVE_STATES] } }, include: rolloutInclude });
      for (const row of rows) {
        try {
          results.push(await evaluateRolloutStep(row, opts.deps, now(), { criticalOnly: true }));
        } catch (error) {
          opts.deps.log(`rollout ${row.id}: re-check failed`, error);
        }
      }
      return results;
    } catch (error) {
      opts.deps.log("re-check failed", error);
      return results;
    } finally {
      scheduleRechecks();
    }
  }

  async function tickNow(): Promise<TickReport | null> {
    if (running) return running;
    running = (async () => {
      if (!(await opts.lock.ensure())) {
        watermarks.clear();
        countEvaluatorTick("skipped");
        return null;
      }
      try {
        const report = await runEvaluatorTick(opts.deps, now(), { watermarks });
        countEvaluatorTick("ran", report.durationMs / 1000);
        opts.onTick?.(report);
        return report;
      } catch (error) {
        countEvaluatorTick("error");
        opts.deps.log("tick failed", error);
        return null;
      }
    })().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(delayMs: number) {
    if (stopped) return;
    timer = setTimeout(async () => {
      const began = Date.now();
      await tickNow();
      schedule(Math.max(0, opts.intervalMs - (Date.now() - began)));
    }, delayMs);
    timer.unref();
  }

  return {
    tickNow,
    recheck(rolloutIds) {
      if (stopped) return;
      for (const id of rolloutIds) pending.add(id);
      scheduleRechecks();
    },
    async rechecksSettled() {
      while (recheckTimer || pending.size > 0) {
        if (!recheckTimer) scheduleRechecks();
        await new Promise((r) => setTimeout(r, 10));
        await rechecking;
      }
      return rechecking;
    },
    start() {
      if (timer || stopped) return;
      schedule(Math.min(opts.intervalMs, 1_000));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (recheckTimer) clearTimeout(recheckTimer);
      recheckTimer = null;
      pending.clear();
      await running;
      await rechecking;
      await opts.lock.close();
    },
  };
}
