/**
 * Retention of raw outcome events (rollups are kept): deletes, in batches, events received more
 * than ROLLGATE_EVENT_RETENTION_DAYS (+ the 5-minute clock-skew allowance) ago. Ingestion refuses
 * events older than the retention window, so a pruned event can never be replayed into the
 * rollups a second time. One instance prunes at a time (transaction-scoped advisory lock).
 */
import "server-only";
import { MAX_FUTURE_SKEW_MS } from "../../../domain/metrics/resolve-event";
import { getEnv } from "../../../env";
import { db } from "../../db";
import { singleton } from "../../singleton";
import { ADVISORY_LOCKS } from "../../db/advisory-locks";

/** Rows per DELETE: small enough to keep each transaction and its locks short. */
export const PRUNE_BATCH_SIZE = 5_000;
/** How often the worker prunes. */
export const PRUNE_INTERVAL_MS = 10 * 60_000;
const PRUNE_LOCK = ADVISORY_LOCKS.pruneEvents;
const DAY_MS = 86_400_000;

const DELETE_BATCH = `WITH lock AS (SELECT pg_try_advisory_xact_lock(${PRUNE_LOCK}) AS held),
doomed AS (
  SELECT environment_id, id FROM metric_events
   WHERE received_at < $1 AND (SELECT held FROM lock)
   LIMIT ${PRUNE_BATCH_SIZE}
)
DELETE FROM metric_events e USING doomed d
 WHERE e.environment_id = d.environment_id AND e.id = d.id`;

/** Deletes expired raw events; returns how many. Stops early when another instance holds the lock. */
export async function pruneExpiredEvents(opts: { now?: Date; retentionDays?: number; maxBatches?: number } = {}): Promise<number> {
  const now = (opts.now ?? new Date()).getTime();
  const retentionDays = opts.retentionDays ?? getEnv().ROLLGATE_EVENT_RETENTION_DAYS;
  const cutoff = new Date(now - retentionDays * DAY_MS - MAX_FUTURE_SKEW_MS);
  let total = 0;
  for (let i = 0; i < (opts.maxBatches ?? 1_000); i++) {
    const deleted = await db.$executeRawUnsafe(DELETE_BATCH, cutoff);
    total += deleted;
    if (deleted < PRUNE_BATCH_SIZE) break;
  }
  return total;
}

/** The background worker: prunes shortly after start, then every PRUNE_INTERVAL_MS. */
export function startEventPruning(opts: { intervalMs?: number; log?: (line: string) => void } = {}): { name: string; stop(): Promise<void> } {
  const state = singleton("eventPruning", () => ({ timer: null as NodeJS.Timeout | null, running: null as Promise<unknown> | null }));
  const run = () => {
    if (state.running) return;
    state.running = pruneExpiredEvents()
      .then((n) => n > 0 && opts.log?.(`pruned ${n} raw events past retention`))
      .catch((error) => console.error("event pruning failed", error))
      .finally(() => (state.running = null));
  };
  const first = setTimeout(run, 30_000);
  state.timer = setInterval(run, opts.intervalMs ?? PRUNE_INTERVAL_MS);
  first.unref();
  state.timer.unref();
  return {
    name: "event-pruning",
    async stop() {
      clearTimeout(first);
      if (state.timer) clearInterval(state.timer);
      state.timer = null;
      await state.running;
    },
  };
}
