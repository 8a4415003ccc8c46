/**
 * Creating a rollout (in draft): the flag must exist in the environment with both variants;
 * control must be the flag's default variant (what everyone is served today, and what a rollback
 * returns them to); the plan is the strategy's template unless given, and must fit it.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { DomainError } from "../../../domain/errors";
import { strategyTemplate, validatePlan, type StagePlan } from "../../../domain/rollouts";
import type { CreateRolloutRequest } from "../../../schemas/rollout-extras";
import type { Actor } from "../../auth/actor";
import { assertEnvironment, assertPermission } from "../../auth/access";
import { recordAudit } from "../../audit/record-audit";
import { db } from "../../db";
import { getEnvironmentByKey } from "../environments";
import { getRequiredApprovals } from "./required-approvals";
import { variantKeys } from "./rollout-record";

export async function createRollout(actor: Actor, input: CreateRolloutRequest, ctx: { requestId: string }) {
  assertPermission(actor, "rollout.write");
  const stages: StagePlan[] = input.stages ?? strategyTemplate(input.strategy);
  validatePlan(input.strategy, stages);

  const id = await db.$transaction(async (tx) => {
    const environment = await getEnvironmentByKey(input.environment, tx);
    assertEnvironment(actor, environment.id);
    const flag = await tx.flag.findUnique({ where: { environmentId_key: { environmentId: environment.id, key: input.flagKey } } });
    if (!flag || flag.archivedAt) {
      throw new DomainError("not_found", `Flag "${input.flagKey}" does not exist in ${environment.key}.`, { field: "flagKey" });
    }
    const keys = variantKeys(flag.variants);
    for (const field of ["controlVariant", "treatmentVariant"] as const) {
      if (!keys.includes(input[field])) {
        throw new DomainError("invalid_input", `Flag "${flag.key}" has no variant "${input[field]}" (it has ${keys.join(", ")}).`, { field });
      }
    }
    if (input.controlVariant === input.treatmentVariant) {
      throw new DomainError("invalid_input", "The treatment variant must differ from the control variant.", { field: "treatmentVariant" });
    }
    if (input.controlVariant !== flag.defaultVariant) {
      throw new DomainError(
        "invalid_input",
        `Control must be the variant "${flag.key}" serves by default today (${flag.defaultVariant}), ` + `so that a rollback returns everyone to it; got ${input.controlVariant}.`,
        { field: "controlVariant", defaultVariant: flag.defaultVariant },
      );
    }
    const requiredApprovals = input.requiredApprovals ?? (await getRequiredApprovals(tx));
    const salt = input.newSalt ? randomBytes(8).toString("hex") : flag.salt;

    const rollout = await tx.rollout.create({
      data: {
        environmentId: environment.id,
        flagId: flag.id,
        strategy: input.strategy,
        description: input.description ?? "",
        controlVariant: input.controlVariant,
        treatmentVariant: input.treatmentVariant,
        salt,
        autoAdvance: input.autoAdvance,
        requiredApprovals,
        createdById: actor.id,
        stages: {
          create: stages.map((s, index) => ({
            index,
            trafficBasisPoints: s.trafficBasisPoints,
            shadowSampleBasisPoints: s.shadowSampleBasisPoints,
            minBakeSeconds: s.minBakeSeconds,
            minSamplesPerArm: s.minSamplesPerArm,
            requiresApproval: s.requiresApproval,
            gates: s.gates as object[],
          })),
        },
      },
    });
    await tx.rolloutTransition.create({
      data: {
        rolloutId: rollout.id,
        command: "create",
        fromState: "draft",
        toState: "draft",
        fromStage: 0,
        toStage: 0,
        actorType: actor.type,
        actorId: actor.id,
        comment: input.description?.trim() || null,
        details: { summary: `Created a ${input.strategy.replace("_", " ")} of ${stages.length} stage${stages.length === 1 ? "" : "s"}` },
      },
    });
    await recordAudit(tx, {
      actor,
      action: "rollout.create",
      resourceType: "rollout",
      resourceId: rollout.id,
      environmentId: environment.id,
      after: {
        flagKey: flag.key,
        strategy: input.strategy,
        controlVariant: input.controlVariant,
        treatmentVariant: input.treatmentVariant,
        stages,
        autoAdvance: input.autoAdvance,
        requiredApprovals,
        newSalt: input.newSalt,
      },
      context: { ...ctx, flagKey: flag.key },
    });
    return rollout.id;
  });
  return id;
}
