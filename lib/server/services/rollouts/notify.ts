/** Webhook deliveries for a rollout transition, enqueued in the command's transaction. */
import "server-only";
import { describeStage, type CommandOutcome, type RolloutCommandType } from "../../../domain/rollouts";
import { rolloutTransitionContent, rolloutTransitionEvents } from "../../../domain/webhooks";
import { appUrl } from "../../../env";
import type { Actor } from "../../auth/actor";
import type { DbOrTx } from "../../db";
import { enqueueWebhookEvent } from "../../webhooks/enqueue";

export function rolloutUrl(id: string): string {
  return `${appUrl().replace(/\/$/, "")}/rollouts/${id}`;
}

export async function enqueueRolloutTransition(
  tx: DbOrTx,
  input: {
    rollout: { id: string; environmentId: string; environmentKey: string; flagKey: string; strategy: string; controlVariant: string; treatmentVariant: string };
    command: RolloutCommandType;
    outcome: CommandOutcome;
    actor: Actor;
    comment: string | null;
    now: Date;
  },
): Promise<number> {
  const { rollout, outcome, actor } = input;
  const { effect, next } = outcome;
  const content = rolloutTransitionContent({
    environmentKey: rollout.environmentKey,
    actor: { type: actor.type, label: actor.label },
    rollout: {
      id: rollout.id,
      flagKey: rollout.flagKey,
      strategy: rollout.strategy,
      state: effect.toState,
      stageIndex: effect.toStage,
      stageCount: next.stages.length,
      stage: describeStage(next.stages, effect.toStage),
      trafficBasisPoints: effect.servedTrafficBasisPoints,
      controlVariant: rollout.controlVariant,
      treatmentVariant: rollout.treatmentVariant,
      url: rolloutUrl(rollout.id),
    },
    transition: {
      command: input.command,
      fromState: effect.fromState,
      toState: effect.toState,
      fromStage: effect.fromStage,
      toStage: effect.toStage,
      comment: input.comment,
      summary: outcome.summary,
      automatic: actor.type === "system",
    },
  });
  return enqueueWebhookEvent(tx, {
    environmentId: rollout.environmentId,
    event: rolloutTransitionEvents(effect.toState, effect.fromState),
    payload: content,
    occurredAt: input.now,
  });
}
