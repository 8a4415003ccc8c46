/**
 * The background evaluator loop of one instance. Every interval it asks the leader lock whether
 * this instance is the one that evaluates (Postgres advisory lock on a dedicated connection);
 * only the holder runs a tick, so two instances never act on the same numbers twice. Ticks never
 * overlap: the next one is scheduled when the previous one ends, `intervalMs` after it began
 * (at once if a tick took longer than the interval).
 */
import { countEvaluatorTick } from "../observability";
import type { LeaderLock } from "./leader";
import { runEvaluatorTick, type TickDeps, type TickReport } from "./tick";

export interface Evaluator {
  /** Runs one tick now if this instance is the leader; null when another instance is. */
  tickNow(): Promise<TickReport | null>;
  start(): void;
  stop(): Promise<void>;
}

export function createEvaluator(opts: {
  deps: TickDeps;
  lock: LeaderLock;
  intervalMs: number;
  now?: () => Date;
  onTick?: (report: TickReport) => void;
}): Evaluator {
  const now = opts.now ?? (() => new Date());
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<TickReport | null> | null = null;
  let stopped = false;

  async function tickNow(): Promise<TickReport | null> {
    if (running) return running;
    running = (async () => {
      if (!(await opts.lock.ensure())) {
        countEvaluatorTick("skipped");
        return null;
      }
      try {
        const report = await runEvaluatorTick(opts.deps, now());
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
    start() {
      if (timer || stopped) return;
      schedule(Math.min(opts.intervalMs, 1_000));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
      await opts.lock.close();
    },
  };
}
