/**
 * Gate results in the database: writing a tick's evaluations (thinned out so a 2-second
 * interval does not write 43,000 rows a day per gate), and reading the latest verdict of each
 * gate of a rollout's current stage (what a promotion checks).
 */
import "server-only";
import type { GateEvaluation } from "../../../domain/gates";
import type { DbOrTx } from "../../db";
import { singleton } from "../../singleton";

/**
 * Remembers the last stored verdict per (rollout, stage, gate). A result is stored when the
 * verdict changed, when `spacingMs` passed since the last stored one, or when `force` is set
 * (the evidence of an automatic action). A new leader starts with an empty memory and stores
 * everything once.
 */
export interface GateResultThinner {
  shouldStore(key: string, verdict: string, now: Date, force: boolean): boolean;
}

export function createThinner(spacingMs: number): GateResultThinner {
  const last = new Map<string, { verdict: string; at: number }>();
  return {
    shouldStore(key, verdict, now, force) {
      const prev = last.get(key);
      const store = force || !prev || prev.verdict !== verdict || now.getTime() - prev.at >= spacingMs;
      if (store) last.set(key, { verdict, at: now.getTime() });
      // Bounded memory: a long-lived leader sees rollouts come and go.
      if (last.size > 50_000) last.clear();
      return store;
    },
  };
}

/** The process-wide thinner used by the evaluator. */
export function defaultThinner(spacingMs: number): GateResultThinner {
  return singleton(`automation.thinner.${spacingMs}`, () => createThinner(spacingMs));
}

export function thinnerKey(rolloutId: string, stageIndex: number, gateName: string): string {
  return `${rolloutId}\u0000${stageIndex}\u0000${gateName}`;
}

export async function storeGateResults(
  client: DbOrTx,
  rolloutId: string,
  stageIndex: number,
  results: readonly (GateEvaluation & { windowMinutes?: number | null; source?: string; sourceError?: string })[],
  now: Date,
): Promise<number> {
  if (results.length === 0) return 0;
  const { count } = await client.gateResult.createMany({
    data: results.map((r) => ({
      rolloutId,
      stageIndex,
      gateName: r.gateName,
      metric: r.metric,
      verdict: r.verdict,
      critical: r.critical,
      value: finite(r.value),
      controlValue: finite(r.controlValue),
      ciLow: finite(r.ciLow),
      ciHigh: finite(r.ciHigh),
      pValue: finite(r.pValue),
      details: JSON.parse(
        JSON.stringify({
          kind: r.kind,
          sentence: r.sentence,
          limit: finite(r.limit),
          samples: r.samples,
          inconclusiveReason: r.inconclusiveReason,
          windowMinutes: r.windowMinutes ?? null,
          source: r.source,
          sourceError: r.sourceError,
        }),
      ) as object,
      evaluatedAt: now,
    })),
  });
  return count;
}

export interface LatestGateResult {
  gateName: string;
  verdict: "pass" | "fail" | "inconclusive";
  critical: boolean;
  evaluatedAt: Date;
  sentence: string;
}

/** The newest result of each gate of `stageIndex` evaluated at or after `since` (the stage start). */
export async function latestGateResults(client: DbOrTx, rolloutId: string, stageIndex: number, since: Date | null): Promise<LatestGateResult[]> {
  const rows = await client.$queryRawUnsafe<{ gate_name: string; verdict: LatestGateResult["verdict"]; critical: boolean; evaluated_at: Date; details: { sentence?: string } }[]>(
    `SELECT DISTINCT ON (gate_name) gate_name, verdict, critical, evaluated_at, details FROM gate_results
     WHERE rollout_id = $1 AND stage_index = $2 AND ($3::timestamptz IS NULL OR evaluated_at >= $3::timestamptz)
     ORDER BY gate_name, evaluated_at DESC`,
    rolloutId,
    stageIndex,
    since,
  );
  return rows.map((r) => ({ gateName: r.gate_name, verdict: r.verdict, critical: r.critical, evaluatedAt: new Date(r.evaluated_at), sentence: r.details?.sentence ?? "" }));
}

function finite(x: number | null | undefined): number | null {
  return x != null && Number.isFinite(x) ? x : null;
}
