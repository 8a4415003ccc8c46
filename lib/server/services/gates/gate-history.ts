/**
 * A rollout's gates for the detail screen: each stage's gate definitions in words, the latest
 * result of the current stage's gates, the history of results (for the chart), and the reason of
 * the last automatic action.
 */
import "server-only";
import { describeGateRule, parseStoredGates } from "../../../domain/gates";
import { describeStage } from "../../../domain/rollouts";
import type { Actor } from "../../auth/actor";
import { assertEnvironment } from "../../auth/access";
import { db } from "../../db";
import { loadRollout, toMachineState } from "../rollouts/rollout-record";

/** Most history points returned (newest kept). */
export const MAX_GATE_HISTORY = 2000;

export interface GateResultView {
  gateName: string;
  metric: string;
  stageIndex: number;
  verdict: "pass" | "fail" | "inconclusive";
  critical: boolean;
  value: number | null;
  controlValue: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  limit: number | null;
  sentence: string;
  samples: { control: number; treatment: number } | null;
  evaluatedAt: Date;
}

export async function getGateHistory(actor: Actor, rolloutId: string, opts: { limit?: number } = {}) {
  const row = await loadRollout(db, rolloutId);
  assertEnvironment(actor, row.environmentId);
  const machine = toMachineState(row);
  const limit = Math.min(opts.limit ?? MAX_GATE_HISTORY, MAX_GATE_HISTORY);
  const rows = await db.gateResult.findMany({ where: { rolloutId }, orderBy: { evaluatedAt: "desc" }, take: limit });
  const history: GateResultView[] = rows.reverse().map((r) => {
    const d = (r.details ?? {}) as { sentence?: string; limit?: number | null; samples?: { control: number; treatment: number } };
    return {
      gateName: r.gateName,
      metric: r.metric,
      stageIndex: r.stageIndex,
      verdict: r.verdict,
      critical: r.critical,
      value: r.value,
      controlValue: r.controlValue,
      ciLow: r.ciLow,
      ciHigh: r.ciHigh,
      pValue: r.pValue,
      limit: d.limit ?? null,
      sentence: d.sentence ?? "",
      samples: d.samples ?? null,
      evaluatedAt: r.evaluatedAt,
    };
  });
  const stages = row.stages.map((s) => {
    const { gates, errors } = parseStoredGates(s.gates);
    return {
      index: s.index,
      label: describeStage(machine.stages, s.index),
      gates: gates.map((g) => ({ name: g.name, metric: g.metric, kind: g.kind, critical: g.critical, rule: describeGateRule(g), spec: g })),
      invalidGates: errors,
    };
  });
  const current = stages[row.currentStageIndex];
  const latest = (current?.gates ?? []).map((g) => ({
    ...g,
    latest: [...history].reverse().find((h) => h.stageIndex === row.currentStageIndex && h.gateName === g.name && (!row.stageStartedAt || h.evaluatedAt >= row.stageStartedAt)) ?? null,
  }));
  return {
    rolloutId: row.id,
    state: row.state,
    autoAdvance: row.autoAdvance,
    currentStageIndex: row.currentStageIndex,
    lastAutomaticAction: row.lastAutomaticAction,
    stages,
    current: latest,
    history,
  };
}

export type GateHistory = Awaited<ReturnType<typeof getGateHistory>>;
