/**
 * One rollout in one evaluator tick: evaluate the current stage's gates on the analysis, store
 * the results, decide (lib/domain/gates decide.ts) and act through the rollout command service
 * as the system actor. Crash safety:
 * - gate results are committed first, in their own transaction: they are observations, and a
 *   crash right after leaves them stored and nothing done; the next tick re-evaluates and acts;
 * - the action is the command service's single transaction with the optimistic version check
 *   (`expectedVersion` = the version read this tick): state change, transition, the reason in
 *   `last_automatic_action`, the audit record with the gate numbers and the webhook deliveries
 *   commit together or not at all. If a person acted in between, the version no longer matches
 *   and the evaluator's command is refused instead of acting on stale numbers.
 */
import "server-only";
import { blockingGates, decideAutomaticAction, evaluateGate, parseStoredGates, type AutomaticDecision, type GateEvaluation, type GateSpec } from "../../domain/gates";
import { describeStage } from "../../domain/rollouts";
import { assessStageReadiness } from "../../domain/rollouts/readiness";
import { isDomainError } from "../../domain/errors";
import type { AnalysisResponse } from "../../schemas/analysis";
import { SYSTEM_ACTOR } from "../auth/actor";
import type { Db } from "../db";
import { countEvaluatorAction, countGateVerdict } from "../observability";
import type { StageArmCounts } from "../services/metrics/stage-counts";
import { currentStageCounts } from "../services/rollouts/exposures";
import { toMachineState, type RolloutRow } from "../services/rollouts/rollout-record";
import type { RolloutCommandRequest, RolloutCommandResult } from "../services/rollouts/run-rollout-command";
import { storeGateResults, thinnerKey, type GateResultThinner } from "../services/gates/gate-results";
import { observationFromAnalysis, singleValueObservation, windowOf, type AnalysisWindow } from "./observations";
import { renderPromql } from "./prometheus";

export interface AnalysisRequest {
  from?: Date;
  to: Date;
  stage?: number;
}

/** The automation context handed to the command service (see run-rollout-command.ts). */
export interface AutomationCommandContext {
  now: Date;
  automation: { reason: string; numbers: Record<string, unknown> };
}

export interface RolloutStepDeps {
  client: Db;
  analyze(rolloutId: string, request: AnalysisRequest): Promise<AnalysisResponse>;
  runCommand(actor: typeof SYSTEM_ACTOR, request: RolloutCommandRequest, ctx: AutomationCommandContext): Promise<RolloutCommandResult>;
  /** Smallest remaining error-budget fraction of the flag's SLOs (or of one SLO); null without SLOs. */
  sloBudgetRemaining(environmentId: string, flagKey: string, sloId: string | undefined, now: Date): Promise<number | null>;
  promotionFreeze(environmentId: string, flagKey: string, now: Date): Promise<{ active: boolean; reason: string }>;
  /** Present when PROMETHEUS_URL is set. */
  promql?(query: string, now: Date): Promise<{ value: number | null; error?: string }>;
  thinner: GateResultThinner;
  log(message: string, error?: unknown): void;
}

export interface RolloutStepResult {
  rolloutId: string;
  decision: AutomaticDecision;
  evaluations: GateEvaluation[];
  /** The command that ran, or why it did not. */
  acted: "promote" | "pause" | "rollback" | null;
  refused?: string;
  /** A promotion was due but a promotion freeze held it. */
  frozen?: boolean;
}

type Evaluated = GateEvaluation & { windowMinutes: number | null; source: string; sourceError?: string };

const COMMAND_OF = { advance: "promote", request_approval: "promote", rollback: "rollback", pause: "pause" } as const;

/**
 * `criticalOnly`: the event-driven re-check after new outcomes — only the critical gates are
 * evaluated, and only a rollback is acted on (and then stored); anything else waits for the tick.
 * `counts`: the current stage's counts when the caller already loaded them (the tick reads every
 * active rollout's in one query).
 */
export async function evaluateRolloutStep(row: RolloutRow, deps: RolloutStepDeps, now: Date, opts: { criticalOnly?: boolean; counts?: StageArmCounts } = {}): Promise<RolloutStepResult> {
  const stage = row.stages[row.currentStageIndex];
  const parsed = parseStoredGates(stage?.gates ?? []);
  if (!opts.criticalOnly) for (const e of parsed.errors) deps.log(`rollout ${row.id}: ignoring invalid ${e}`);
  const gates = opts.criticalOnly ? parsed.gates.filter((g) => g.critical) : parsed.gates;

  const evaluations = await evaluateGates(row, gates, deps, now);
  const machine = toMachineState(row);
  const counts = opts.counts ?? (await currentStageCounts(deps.client, row));
  const readiness = assessStageReadiness(machine, now, counts.outcomes, blockingGates(evaluations)).readiness;
  const deadlines = Object.fromEntries(gates.map((g) => [g.name, g.deadlineMinutes]));
  const input = {
    state: row.state,
    autoAdvance: row.autoAdvance,
    results: evaluations,
    deadlines,
    readiness,
    stageStartedAt: row.stageStartedAt,
    stageRequiresApproval: stage?.requiresApproval ?? false,
    isLastStage: row.currentStageIndex >= row.stages.length - 1,
    stageName: describeStage(machine.stages, row.currentStageIndex),
    now,
  };
  let decision = decideAutomaticAction(input);
  let frozen = false;
  if (opts.criticalOnly && decision.action !== "rollback") return { rolloutId: row.id, decision, evaluations, acted: null };
  if (decision.action === "advance" || decision.action === "request_approval") {
    // Only a forward move needs the freeze (and its SQL): ask once it is on the table.
    const freeze = await deps.promotionFreeze(row.environmentId, row.flag.key, now);
    if (freeze.active) {
      decision = decideAutomaticAction({ ...input, freeze });
      frozen = decision.action === "hold";
    }
  }

  for (const e of evaluations) countGateVerdict(e.verdict, e.critical);
  const acting = decision.action !== "hold";
  const toStore = evaluations.filter((e) => deps.thinner.shouldStore(thinnerKey(row.id, row.currentStageIndex, e.gateName), e.verdict, now, acting));
  await storeGateResults(deps.client, row.id, row.currentStageIndex, toStore, now);

  if (!acting) return { rolloutId: row.id, decision, evaluations, acted: null, frozen };
  const command = COMMAND_OF[decision.action as keyof typeof COMMAND_OF];
  try {
    await deps.runCommand(
      SYSTEM_ACTOR,
      { rolloutId: row.id, command, comment: decision.reason, expectedVersion: row.version },
      { now, automation: { reason: decision.reason, numbers: auditNumbers(decision, evaluations, readiness, counts) } },
    );
    countEvaluatorAction(decision.action);
    return { rolloutId: row.id, decision, evaluations, acted: command };
  } catch (error) {
    // Someone acted first (version changed), or the machine refused (e.g. freeze appeared): the
    // next tick decides again on fresh state.
    if (isDomainError(error)) {
      deps.log(`rollout ${row.id}: ${command} refused: ${error.message}`);
      return { rolloutId: row.id, decision, evaluations, acted: null, refused: error.message };
    }
    throw error;
  }
}

async function evaluateGates(row: RolloutRow, gates: GateSpec[], deps: RolloutStepDeps, now: Date): Promise<Evaluated[]> {
  const analyses = new Map<AnalysisWindow, Promise<AnalysisResponse | null>>();
  const analysisFor = (window: AnalysisWindow) => {
    let pending = analyses.get(window);
    if (!pending) {
      const request: AnalysisRequest =
        window === "stage" ? { stage: row.currentStageIndex, to: now } : { stage: row.currentStageIndex, from: latest(new Date(now.getTime() - window * 60_000), row.stageStartedAt), to: now };
      pending = deps.analyze(row.id, request).catch((error) => {
        deps.log(`rollout ${row.id}: analysis failed`, error);
        return null;
      });
      analyses.set(window, pending);
    }
    return pending;
  };

  const out: Evaluated[] = [];
  for (const gate of gates) {
    const windowMinutes = gate.windowMinutes ?? null;
    if (gate.metric === "slo_budget") {
      const remaining = await deps.sloBudgetRemaining(row.environmentId, row.flag.key, gate.kind === "threshold" ? gate.sloId : undefined, now);
      out.push({ ...evaluateGate(gate, singleValueObservation(remaining)), windowMinutes, source: "slo" });
    } else if (gate.metric === "promql") {
      if (!deps.promql || gate.kind !== "threshold" || !gate.query) {
        out.push({ ...evaluateGate(gate, null), windowMinutes, source: "prometheus", sourceError: "PROMETHEUS_URL is not set" });
        continue;
      }
      const query = renderPromql(gate.query, { rolloutId: row.id, flagKey: row.flag.key, environment: row.environment.key });
      const result = await deps.promql(query, now);
      out.push({ ...evaluateGate(gate, singleValueObservation(result.value)), windowMinutes, source: "prometheus", sourceError: result.error });
    } else {
      const analysis = await analysisFor(windowOf(gate));
      out.push({ ...evaluateGate(gate, observationFromAnalysis(gate, analysis)), windowMinutes, source: "analysis" });
    }
  }
  return out;
}

/** The numbers an automatic action's audit record carries. */
function auditNumbers(
  decision: AutomaticDecision,
  evaluations: readonly Evaluated[],
  readiness: { bakeElapsed: boolean; samplesReached: boolean },
  counts: { outcomes: { control: number; treatment: number }; exposures: { control: number; treatment: number } },
): Record<string, unknown> {
  const gate = (e: Evaluated) => ({
    gate: e.gateName,
    metric: e.metric,
    verdict: e.verdict,
    critical: e.critical,
    value: e.value,
    controlValue: e.controlValue,
    ciLow: e.ciLow,
    ciHigh: e.ciHigh,
    pValue: e.pValue,
    limit: e.limit,
    samples: e.samples,
    sentence: e.sentence,
  });
  return {
    action: decision.action,
    trigger: decision.trigger.map((t) => t.gateName),
    gates: evaluations.map(gate),
    readiness,
    samples: counts.outcomes,
    exposures: counts.exposures,
  };
}

function latest(a: Date, b: Date | null): Date {
  return b && b.getTime() > a.getTime() ? b : a;
}
