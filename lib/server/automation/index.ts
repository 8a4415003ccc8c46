/**
 * Automation: the background evaluator (gates → automatic promote / pause / rollback, SLO
 * budgets, burn-rate alerts and breach policies), leader-elected through a Postgres advisory lock.
 */
import "server-only";
import { getEnv, type Env } from "../../env";
import { databaseUrl } from "../db";
import { outcomeNotifyOrigin } from "../services/metrics/outcome-notify";
import { onOutcomesIngested } from "../services/metrics/outcome-signal";
import { defaultTickDeps } from "./defaults";
import { createEvaluator, type Evaluator } from "./evaluator";
import { createLeaderLock } from "./leader";
import { startOutcomeListener } from "./outcome-listener";
import type { TickDeps } from "./tick";

export { createEvaluator, type Evaluator } from "./evaluator";
export { createLeaderLock, EVALUATOR_LOCK_KEY } from "./leader";
export { runEvaluatorTick, type TickDeps, type TickReport } from "./tick";
export { defaultTickDeps } from "./defaults";
export { startOutcomeListener } from "./outcome-listener";

/** An evaluator wired to this process's database and configuration (not started). */
export function createAutomation(opts: { env?: Env; connectionString?: string; deps?: Partial<TickDeps> } = {}): Evaluator {
  const env = opts.env ?? getEnv();
  const lock = createLeaderLock({
    connectionString: opts.connectionString ?? databaseUrl(),
    onError: (error) => console.warn(`[evaluator] leader lock: ${error.message}`),
  });
  return createEvaluator({ deps: defaultTickDeps(env, opts.deps), lock, intervalMs: env.ROLLGATE_EVALUATOR_INTERVAL_SECONDS * 1000 });
}

/**
 * Starts this instance's evaluator for lib/server/runtime/runtime.ts. Every instance runs one;
 * only the holder of the advisory lock evaluates.
 */
export function startAutomation(): { name: string; stop(): Promise<void> } {
  const evaluator = startFollowingIngestion(createAutomation());
  return { name: "evaluator", stop: () => evaluator.stop() };
}

/**
 * Starts the evaluator's loop and its event-driven re-checks: of rollouts this process ingests
 * outcomes for (in process), and of those other instances ingest for (NOTIFY).
 */
export function startFollowingIngestion(evaluator: Evaluator, opts: { connectionString?: string } = {}): { stop(): Promise<void> } {
  evaluator.start();
  const unsubscribe = onOutcomesIngested((ids) => evaluator.recheck(ids));
  const listener = startOutcomeListener({
    connectionString: opts.connectionString ?? databaseUrl(),
    onRolloutsTouched: (ids) => evaluator.recheck(ids),
    ignoreOrigin: outcomeNotifyOrigin(),
    log: (message) => console.warn(`[evaluator] ${message}`),
  });
  return {
    stop: async () => {
      unsubscribe();
      await listener.stop();
      await evaluator.stop();
    },
  };
}
