/**
 * Runs one rollout command (start, promote, pause, resume, rollback, abort, approve, reject,
 * skip_analysis) in ONE transaction: load with the version → check permission, environment and
 * `expectedVersion` (412) → measure readiness → the pure state machine decides → persist with
 * `UPDATE … WHERE version = <loaded>` (0 rows: someone else acted first, 409) → stage times,
 * transition row, approval row, completion effect on the flag, config version bump, audit
 * record, webhook deliveries. After commit: evaluation reloads (emitConfigChanged) and the
 * webhook sender wakes up.
 */
import "server-only";
import { DomainError, isDomainError } from "../../../domain/errors";
import { applyRolloutCommand, completionEffect, describeStage, servedSplit, TERMINAL_STATES, type CommandOutcome, type RolloutCommandType, type RolloutMachineState } from "../../../domain/rollouts";
import { COMMAND_PERMISSIONS } from "../../../domain/rollouts/command-availability";
import { assessStageReadiness, type ReadinessAssessment } from "../../../domain/rollouts/readiness";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "../../auth/actor";
import { assertEnvironment, assertPermission } from "../../auth/access";
import { recordAudit } from "../../audit/record-audit";
import { db, type Tx } from "../../db";
import { emitConfigChanged } from "../../evaluation/config-events";
import { kickWebhookWorker } from "../../webhooks/worker";
import { bumpConfigVersion } from "../environments";
// The SLO promotion freeze and failing gates guard every forward move.
import { promotionGuards, type PromotionGuards } from "../gates/promotion-guards";
import { currentStageCounts } from "./exposures";
import { enqueueRolloutTransition } from "./notify";
import { loadRollout, serializePendingApproval, toMachineState, variantKeys, type RolloutRow } from "./rollout-record";

export interface RolloutCommandRequest {
  rolloutId: string;
  command: RolloutCommandType;
  comment?: string | null;
  /** When given, the command runs only if the rollout is still at this version (else 412). */
  expectedVersion?: number;
}

export interface RolloutCommandResult {
  id: string;
  state: string;
  currentStageIndex: number;
  version: number;
  summary: string;
  effect: CommandOutcome["effect"];
}

/** Many clicks arrive at once in the race this guards against; let them queue for a connection. */
const TX_OPTIONS = { maxWait: 15_000, timeout: 20_000 } as const;

/**
 * `actor.type === "system"` (the background evaluator) acts on its own authority and skips the
 * role check; users and API keys need the command's permission (COMMAND_PERMISSIONS).
 */
export async function runRolloutCommand(
  actor: Actor,
  request: RolloutCommandRequest,
  ctx: {
    requestId?: string;
    now?: Date;
    /** Set by the evaluator: the reason stored as last_automatic_action and the numbers audited with it. */
    automation?: { reason: string; numbers: Record<string, unknown> };
  } = {},
): Promise<RolloutCommandResult> {
  if (actor.type !== "system") assertPermission(actor, COMMAND_PERMISSIONS[request.command]);
  const comment = request.comment?.trim() || null;

  const result = await db.$transaction(async (tx) => {
    const now = ctx.now ?? new Date();
    const row = await loadRollout(tx, request.rolloutId);
    assertEnvironment(actor, row.environmentId);
    if (request.expectedVersion !== undefined && request.expectedVersion !== row.version) {
      throw new DomainError("precondition_failed", `The rollout changed since you loaded it (version ${request.expectedVersion}, now ${row.version}); reload and decide again.`, {
        expectedVersion: request.expectedVersion,
        currentVersion: row.version,
      });
    }
    if (request.command === "start") await assertStartable(tx, row);

    const before = toMachineState(row);
    // Automation: freeze from the SLOs and the current stage's failing gates.
    const guards = GUARDED_COMMANDS.includes(request.command)
      ? await promotionGuards(tx, { id: row.id, environmentId: row.environmentId, flagKey: row.flag.key, currentStageIndex: row.currentStageIndex, stageStartedAt: row.stageStartedAt }, now)
      : null;
    const assessment = await assess(tx, row, before, request.command, now, guards?.gatesFailing ?? []);
    const outcome = decide(before, request, actor, comment, assessment, now, guards);
    const version = await persist(tx, row, outcome.next, actor, outcome, request.command, now, ctx.automation?.reason);

    await recordStageTimes(tx, row, outcome, request.command, now);
    await tx.rolloutTransition.create({
      data: {
        rolloutId: row.id,
        command: request.command,
        fromState: outcome.effect.fromState,
        toState: outcome.effect.toState,
        fromStage: outcome.effect.fromStage,
        toStage: outcome.effect.toStage,
        actorType: actor.type,
        actorId: actor.id,
        comment,
        details: detailsOf(outcome, assessment),
        createdAt: now,
      },
    });
    if (request.command === "approve" || request.command === "reject") {
      const pending = before.pendingApproval;
      await tx.approval.create({
        data: {
          rolloutId: row.id,
          stageIndex: pending?.stageIndex ?? before.currentStageIndex,
          requestedBy: pending?.requestedBy ?? "system",
          decidedById: actor.id,
          decision: request.command === "approve" ? "approved" : "rejected",
          comment,
          createdAt: now,
        },
      });
    }
    const flagChange = outcome.effect.kind === "completed" ? await applyCompletion(tx, row, actor, ctx.requestId, now) : null;
    const configVersion = await bumpConfigVersion(tx, row.environmentId);

    await recordAudit(tx, {
      actor,
      action: `rollout.${request.command}`,
      resourceType: "rollout",
      resourceId: row.id,
      environmentId: row.environmentId,
      before: auditState(before, row.version),
      after: { ...auditState(outcome.next, version), ...(flagChange ? { flagDefaultVariant: flagChange.after } : {}) },
      context: {
        requestId: ctx.requestId,
        comment,
        summary: outcome.summary,
        flagKey: row.flag.key,
        stageIndex: outcome.effect.toStage,
        readiness: readinessNumbers(assessment),
        ...(ctx.automation ? { automatic: true, automation: ctx.automation.numbers } : {}),
      },
      now,
    });
    await enqueueRolloutTransition(tx, {
      rollout: {
        id: row.id,
        environmentId: row.environmentId,
        environmentKey: row.environment.key,
        flagKey: row.flag.key,
        strategy: row.strategy,
        controlVariant: row.controlVariant,
        treatmentVariant: row.treatmentVariant,
      },
      command: request.command,
      outcome,
      actor,
      comment,
      now,
    });
    return {
      environmentId: row.environmentId,
      configVersion,
      view: {
        id: row.id,
        state: outcome.next.state,
        currentStageIndex: outcome.next.currentStageIndex,
        version,
        summary: outcome.summary,
        effect: outcome.effect,
      },
    };
  }, TX_OPTIONS);

  await emitConfigChanged({ environmentId: result.environmentId, version: result.configVersion.toString() });
  kickWebhookWorker();
  return result.view;
}

/** Start refuses when the flag already has an active rollout, or changed under the draft. */
async function assertStartable(tx: Tx, row: RolloutRow): Promise<void> {
  const other = await tx.rollout.findFirst({
    where: { flagId: row.flagId, id: { not: row.id }, state: { in: ["running", "paused", "awaiting_approval"] } },
    select: { id: true, state: true, strategy: true },
  });
  if (other) {
    throw new DomainError(
      "conflict",
      `Flag "${row.flag.key}" already has an active rollout (${other.strategy.replace("_", " ")}, ${other.state.replace("_", " ")}); ` + "finish, roll back or abort it first.",
      { reason: "active_rollout_exists", activeRolloutId: other.id },
    );
  }
  if (row.flag.archivedAt) throw new DomainError("conflict", `Flag "${row.flag.key}" is archived.`, { reason: "flag_archived" });
  const keys = variantKeys(row.flag.variants);
  const missing = [row.controlVariant, row.treatmentVariant].filter((v) => !keys.includes(v));
  if (missing.length > 0) {
    throw new DomainError("conflict", `Flag "${row.flag.key}" no longer has the variant(s) ${missing.join(", ")}.`, {
      reason: "variant_missing",
    });
  }
  if (row.flag.defaultVariant !== row.controlVariant) {
    throw new DomainError(
      "conflict",
      `Flag "${row.flag.key}" now serves ${row.flag.defaultVariant} by default, not this rollout's control ` + `${row.controlVariant}; create a new rollout from the current default.`,
      { reason: "control_not_default", defaultVariant: row.flag.defaultVariant },
    );
  }
}

const LEAVING_COMMANDS: readonly RolloutCommandType[] = ["promote", "approve", "skip_analysis"];
/** Commands that move treatment traffic forward: refused under an SLO freeze. */
const GUARDED_COMMANDS: readonly RolloutCommandType[] = ["start", ...LEAVING_COMMANDS];

/** Readiness of the current stage; measured only for commands that may leave it (skip_analysis: for the record). */
async function assess(tx: Tx, row: RolloutRow, state: RolloutMachineState, command: RolloutCommandType, now: Date, gatesFailing: string[] = []): Promise<ReadinessAssessment | null> {
  if (!LEAVING_COMMANDS.includes(command) || state.state === "draft") return null;
  const counts = await currentStageCounts(tx, row);
  return assessStageReadiness(state, now, counts.outcomes, gatesFailing);
}

function decide(
  before: RolloutMachineState,
  request: RolloutCommandRequest,
  actor: Actor,
  comment: string | null,
  assessment: ReadinessAssessment | null,
  now: Date,
  guards: PromotionGuards | null = null,
): CommandOutcome {
  try {
    return applyRolloutCommand(before, { type: request.command, actorId: actor.id, comment }, { now, readiness: assessment?.readiness, freeze: guards?.freeze });
  } catch (error) {
    // The machine names which conditions fail; say it with the numbers measured here.
    const reason = isDomainError(error) ? error.details?.reason : undefined;
    if (assessment && (reason === "bake_time_not_elapsed" || reason === "samples_not_reached" || reason === "gates_failing")) {
      throw new DomainError("conflict", `Cannot leave ${describeStage(before.stages, before.currentStageIndex)} yet: ${assessment.blockers.join("; ")}.`, {
        ...(error as DomainError).details,
        ...readinessNumbers(assessment),
      });
    }
    throw error;
  }
}

/** The optimistic lock: only the transaction that still sees the loaded version may write. */
async function persist(tx: Tx, row: RolloutRow, next: RolloutMachineState, actor: Actor, outcome: CommandOutcome, command: RolloutCommandType, now: Date, automaticReason?: string): Promise<number> {
  const terminal = (TERMINAL_STATES as readonly string[]).includes(next.state);
  let updated: number;
  try {
    const res = await tx.rollout.updateMany({
      where: { id: row.id, version: row.version },
      data: {
        state: next.state,
        currentStageIndex: next.currentStageIndex,
        stageStartedAt: next.stageStartedAt,
        pendingApproval: next.pendingApproval ? serializePendingApproval(next.pendingApproval) : Prisma.DbNull,
        version: { increment: 1 },
        startedAt: command === "start" ? now : undefined,
        endedAt: terminal ? now : undefined,
        lastAutomaticAction: actor.type === "system" ? (automaticReason ?? outcome.summary) : undefined,
      },
    });
    updated = res.count;
  } catch (error) {
    if (isActiveRolloutConflict(error)) {
      throw new DomainError("conflict", `Flag "${row.flag.key}" already has an active rollout; finish, roll back or abort it first.`, {
        reason: "active_rollout_exists",
      });
    }
    throw error;
  }
  if (updated === 0) {
    const current = await tx.rollout.findUnique({ where: { id: row.id }, select: { version: true, state: true } });
    throw new DomainError("conflict", "Someone else acted on this rollout first; reload to see what changed.", {
      reason: "version_conflict",
      loadedVersion: row.version,
      currentVersion: current?.version ?? null,
      currentState: current?.state ?? null,
    });
  }
  return row.version + 1;
}

function isActiveRolloutConflict(error: unknown): boolean {
  const text = `${(error as Error)?.message ?? ""} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return text.includes("rollouts_one_active_per_flag") || (error as { code?: string })?.code === "P2002" || (error as { cause?: { code?: string } })?.cause?.code === "23505";
}

/** Stage rows keep when each stage ran, for the timeline. */
async function recordStageTimes(tx: Tx, row: RolloutRow, outcome: CommandOutcome, command: RolloutCommandType, now: Date) {
  const { fromStage, toStage, toState, kind } = outcome.effect;
  const stage = (index: number) => ({ rolloutId_index: { rolloutId: row.id, index } });
  if (command === "start") {
    await tx.rolloutStage.update({ where: stage(0), data: { startedAt: now, endedAt: null } });
  } else if (kind === "stage_changed") {
    await tx.rolloutStage.update({ where: stage(fromStage), data: { endedAt: now } });
    await tx.rolloutStage.update({ where: stage(toStage), data: { startedAt: now } });
  } else if (kind === "completed" || ((TERMINAL_STATES as readonly string[]).includes(toState) && row.startedAt)) {
    await tx.rolloutStage.updateMany({ where: { rolloutId: row.id, index: fromStage, endedAt: null }, data: { endedAt: now } });
  }
}

/** Canary and blue-green end with the treatment as the flag's default variant (rules are untouched). */
async function applyCompletion(tx: Tx, row: RolloutRow, actor: Actor, requestId: string | undefined, now: Date) {
  if (completionEffect(row.strategy) !== "switch_default_to_treatment") return null;
  const flag = await tx.flag.update({
    where: { id: row.flagId },
    data: { defaultVariant: row.treatmentVariant, version: { increment: 1 } },
    select: { version: true },
  });
  await recordAudit(tx, {
    actor,
    action: "flag.update",
    resourceType: "flag",
    resourceId: row.flagId,
    environmentId: row.environmentId,
    before: { defaultVariant: row.flag.defaultVariant },
    after: { defaultVariant: row.treatmentVariant, version: flag.version },
    context: { requestId, reason: `rollout ${row.id} completed`, rolloutId: row.id, flagKey: row.flag.key },
    now,
  });
  return { before: row.flag.defaultVariant, after: row.treatmentVariant };
}

function auditState(s: RolloutMachineState, version: number) {
  const split = servedSplit(s);
  return {
    state: s.state,
    stageIndex: s.currentStageIndex,
    stage: describeStage(s.stages, s.currentStageIndex),
    trafficBasisPoints: split.trafficBasisPoints,
    shadowSampleBasisPoints: split.shadowSampleBasisPoints,
    version,
    pendingApproval: s.pendingApproval ? serializePendingApproval(s.pendingApproval) : null,
  };
}

function readinessNumbers(a: ReadinessAssessment | null) {
  if (!a) return undefined;
  return {
    bakeElapsedSeconds: a.bakeElapsedSeconds,
    minBakeSeconds: a.minBakeSeconds,
    samples: a.samples,
    minSamplesPerArm: a.minSamplesPerArm,
    sampleBasis: a.sampleBasis,
  };
}

function detailsOf(outcome: CommandOutcome, assessment: ReadinessAssessment | null) {
  return JSON.parse(JSON.stringify({ summary: outcome.summary, effect: outcome.effect, readiness: readinessNumbers(assessment) })) as object;
}
