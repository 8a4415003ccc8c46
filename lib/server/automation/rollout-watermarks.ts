/**
 * What the leader remembers of each active rollout's last full decision, so a tick does the full
 * step (analysis, gates, decision) only for rollouts where something could have changed:
 * - the row changed (any command bumps `version`; a person's approval, pause or resume included),
 * - new data: the current stage's outcome and exposure counts differ from those at the decision
 *   (every stored outcome or exposure adds to them, late ones for old minutes included),
 * - a time-based change is due (bake time, an inconclusive gate's deadline, a window gate's next
 *   minute; SLO-budget and PromQL gates every tick — lib/domain/gates/next-check.ts),
 * - the last decision wanted to act but did not (refused, failed, or held by a promotion freeze),
 * - or FULL_RECHECK_MS passed since its last full step (a bound on staleness for causes outside
 *   the rules above).
 * Memory only: a new leader starts empty and evaluates every rollout once.
 */
import "server-only";
import { ACTIVE_STATES } from "../../domain/rollouts";
import { nextTimeBasedCheck, parseStoredGates } from "../../domain/gates";
import type { DbOrTx } from "../db";
import type { StageArmCounts } from "../services/metrics/stage-counts";
import type { RolloutRow } from "../services/rollouts/rollout-record";
import type { RolloutStepResult } from "./rollout-step";

/** Longest a rollout goes without a full step while nothing in the rules above changed. */
export const FULL_RECHECK_MS = 10 * 60_000;

/** An active rollout as the tick first sees it: its row's identity and its current stage's counts. */
export interface RolloutMark {
  id: string;
  version: number;
  updatedAt: number;
  stageIndex: number;
  /** Whether `counts.exposures` were summed (the stage has an SRM gate); zeros otherwise. */
  exposuresCounted: boolean;
  /** Outcomes and exposures of the current stage (zeros before it started), as readiness counts them. */
  counts: StageArmCounts;
}

/**
 * One query for every active rollout: the row's version and the current stage's counts, summed
 * from the same rows as lib/server/services/metrics/stage-counts.ts (hourly outcome rollups and
 * exposures, keyed by stage). Exposures enter a decision only through an SRM gate, so they are
 * summed (the bulk of the rows: one per minute) only for stages that have one.
 */
const ACTIVE_MARKS = `
SELECT r.id, r.version, r.updated_at, r.current_stage_index AS stage, g.srm,
       coalesce(o.control, 0) AS oc, coalesce(o.treatment, 0) AS ot,
       coalesce(e.control, 0) AS ec, coalesce(e.treatment, 0) AS et
FROM rollouts r
LEFT JOIN rollout_stages s ON s.rollout_id = r.id AND s.index = r.current_stage_index
CROSS JOIN LATERAL (SELECT coalesce(jsonb_path_exists(s.gates::jsonb, '$[*] ? (@.metric == "srm")'), false) AS srm) g
LEFT JOIN LATERAL (
  SELECT sum(count) FILTER (WHERE arm = 'control')::float8 AS control, sum(count) FILTER (WHERE arm = 'treatment')::float8 AS treatment
  FROM metric_rollups_hourly h WHERE h.rollout_id = r.id AND h.stage_index = r.current_stage_index AND r.stage_started_at IS NOT NULL
) o ON true
LEFT JOIN LATERAL (
  SELECT sum(count) FILTER (WHERE arm = 'control')::float8 AS control, sum(count) FILTER (WHERE arm = 'treatment')::float8 AS treatment
  FROM exposures x WHERE g.srm AND x.rollout_id = r.id AND x.stage_index = r.current_stage_index AND r.stage_started_at IS NOT NULL
) e ON true
WHERE r.state::text = ANY($1::text[])
ORDER BY r.created_at`;

export async function loadRolloutMarks(client: DbOrTx): Promise<RolloutMark[]> {
  type Row = { id: string; version: number; updated_at: Date; stage: number; srm: boolean; oc: number; ot: number; ec: number; et: number };
  const rows = await client.$queryRawUnsafe<Row[]>(ACTIVE_MARKS, [...ACTIVE_STATES]);
  return rows.map((r) => ({
    id: r.id,
    version: Number(r.version),
    updatedAt: new Date(r.updated_at).getTime(),
    stageIndex: Number(r.stage),
    exposuresCounted: r.srm === true,
    counts: { outcomes: { control: Number(r.oc), treatment: Number(r.ot) }, exposures: { control: Number(r.ec), treatment: Number(r.et) } },
  }));
}

interface Watermark {
  key: string;
  dueAt: number;
}

export interface RolloutWatermarks {
  /** Whether the rollout needs a full step at `now`. */
  isDue(mark: RolloutMark, now: Date): boolean;
  /** Records a full step's outcome (not called when the step threw: it is due again). */
  record(mark: RolloutMark, row: RolloutRow, result: RolloutStepResult, now: Date): void;
  /** Drops what it remembers of rollouts no longer active. */
  retainOnly(active: readonly RolloutMark[]): void;
  /** Forgets everything (leadership lost: another instance may have decided meanwhile). */
  clear(): void;
  readonly size: number;
}

function keyOf(mark: RolloutMark): string {
  const c = mark.counts;
  return `${mark.version}|${mark.updatedAt}|${mark.stageIndex}|${c.outcomes.control}|${c.outcomes.treatment}|${c.exposures.control}|${c.exposures.treatment}`;
}

export function createRolloutWatermarks(fullRecheckMs = FULL_RECHECK_MS): RolloutWatermarks {
  const marks = new Map<string, Watermark>();
  return {
    isDue(mark, now) {
      const w = marks.get(mark.id);
      return !w || w.key !== keyOf(mark) || now.getTime() >= w.dueAt;
    },
    record(mark, row, result, now) {
      const t = now.getTime();
      // An action the step wanted but did not take (refused, or held by a freeze) is retried every tick.
      const unsettled = result.acted === null && (result.decision.action !== "hold" || result.frozen === true);
      const stage = row.stages[row.currentStageIndex];
      const timeBased = nextTimeBasedCheck({
        stageStartedAt: row.stageStartedAt,
        minBakeSeconds: stage?.minBakeSeconds ?? 0,
        gates: parseStoredGates(stage?.gates ?? []).gates,
        now,
      });
      // Spread the staleness bound so rollouts first seen in one tick are not all due in one later tick.
      const spread = fullRecheckMs * (0.75 + 0.25 * fraction(mark.id));
      marks.set(mark.id, { key: keyOf(mark), dueAt: unsettled ? t : Math.min(timeBased, t + spread) });
    },
    retainOnly(active) {
      const keep = new Set(active.map((m) => m.id));
      for (const id of marks.keys()) if (!keep.has(id)) marks.delete(id);
    },
    clear: () => marks.clear(),
    get size() {
      return marks.size;
    },
  };
}

/** A stable number in [0, 1) from a rollout id. */
function fraction(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h / 2 ** 32;
}
