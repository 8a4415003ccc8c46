import { z } from "zod";
import { isDomainError } from "../domain/errors";
import { FULL_TRAFFIC_BASIS_POINTS, MAX_BAKE_SECONDS, MAX_SAMPLES_PER_ARM, MAX_STAGES, MIN_STAGES, ROLLOUT_COMMANDS, ROLLOUT_STATES, ROLLOUT_STRATEGIES, validatePlan } from "../domain/rollouts";
import { gateListSchema } from "../domain/gates/spec";
import { environmentKeySchema, idParamsSchema } from "./common";
import { flagKeySchema, variantKeySchema } from "./flags";

/**
 * Zod schemas of the rollout API. Bodies are strict objects: an unknown key (often a typo such
 * as "trafficBasisPoint") is an error. Limits come from the domain (lib/domain/rollouts/plan.ts):
 * 1-20 stages, 0..10000 bp, bake ≤ 90 days; 1-5 required approvals; comments and descriptions
 * ≤ 2000 chars.
 */

export const MAX_REQUIRED_APPROVALS = 5;
export const MAX_COMMENT_CHARS = 2000;
export const MAX_ROLLOUT_DESCRIPTION_CHARS = 2000;

export const rolloutStateSchema = z.enum(ROLLOUT_STATES);
export const rolloutStrategySchema = z.enum(ROLLOUT_STRATEGIES);
export const rolloutCommandNameSchema = z.enum(ROLLOUT_COMMANDS);

const basisPointsSchema = z.int().min(0).max(FULL_TRAFFIC_BASIS_POINTS);

/** One stage of a plan, with defaults: no shadow sample, no approval, no gates. */
export const stagePlanSchema = z.strictObject({
  trafficBasisPoints: basisPointsSchema,
  shadowSampleBasisPoints: basisPointsSchema.default(0),
  minBakeSeconds: z.int().min(0).max(MAX_BAKE_SECONDS),
  minSamplesPerArm: z.int().min(0).max(MAX_SAMPLES_PER_ARM),
  requiresApproval: z.boolean().default(false),
  /** Validated like the evaluator reads them (lib/domain/gates/spec.ts): a bad gate is a 400 naming its field. */
  gates: gateListSchema.default([]),
});
export type StagePlanInput = z.input<typeof stagePlanSchema>;

/**
 * POST body creating a rollout (in draft). Without `stages` the strategy's template applies
 * (the service fills it in). With `stages`, the plan must fit the strategy (validatePlan's rules:
 * monotonic traffic, shadow serves 0%, blue-green 0% then 100%, A/B one split stage, canary ends
 * at 100%); a violation is reported on `stages` with the domain's message.
 * `newSalt: true` reshuffles users; by default the flag's salt is kept so earlier assignments hold.
 */
export const createRolloutBodySchema = z
  .strictObject({
    environment: environmentKeySchema,
    flagKey: flagKeySchema,
    strategy: rolloutStrategySchema,
    controlVariant: variantKeySchema,
    treatmentVariant: variantKeySchema,
    stages: z.array(stagePlanSchema).min(MIN_STAGES).max(MAX_STAGES).optional(),
    autoAdvance: z.boolean().default(false),
    requiredApprovals: z.int().min(1).max(MAX_REQUIRED_APPROVALS).default(1),
    newSalt: z.boolean().default(false),
    description: z.string().max(MAX_ROLLOUT_DESCRIPTION_CHARS).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.treatmentVariant === body.controlVariant) {
      ctx.addIssue({
        code: "custom",
        path: ["treatmentVariant"],
        message: "the treatment variant must differ from the control variant",
      });
    }
    if (body.stages) {
      try {
        validatePlan(body.strategy, body.stages);
      } catch (e) {
        if (!isDomainError(e)) throw e;
        ctx.addIssue({ code: "custom", path: ["stages"], message: e.message });
      }
    }
  });
export type CreateRolloutBody = z.output<typeof createRolloutBodySchema>;

/** Path parameters of POST /rollouts/{id}/{command}. */
export const rolloutCommandParamsSchema = idParamsSchema.extend({ command: rolloutCommandNameSchema });

/**
 * Body of a command. `comment` is required (non-blank) for reject and skip_analysis; the state
 * machine enforces that. `expectedVersion` enables the optimistic check (412 on mismatch).
 */
export const rolloutCommandBodySchema = z.strictObject({
  comment: z.string().max(MAX_COMMENT_CHARS).optional(),
  expectedVersion: z.int().min(0).optional(),
});
export type RolloutCommandBody = z.output<typeof rolloutCommandBodySchema>;

/** A command as one object (path command + body), for forms and client hooks. */
export const rolloutCommandSchema = rolloutCommandBodySchema.extend({ command: rolloutCommandNameSchema });
export type RolloutCommandInput = z.output<typeof rolloutCommandSchema>;

/**
 * A list of states from the query string: "running", "running,paused" or a repeated parameter;
 * blanks are ignored, duplicates removed; the result is a non-empty list of known states.
 */
const stateListSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((raw) => {
    const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(","));
    return [...new Set(parts.map((s) => s.trim()).filter((s) => s !== ""))];
  })
  .pipe(z.array(rolloutStateSchema).min(1, { error: "state needs at least one value" }));

/** GET /rollouts query: an environment, optionally some states and a flag. */
export const listRolloutsQuerySchema = z.object({
  environment: environmentKeySchema,
  state: stateListSchema.optional(),
  flagKey: flagKeySchema.optional(),
});
export type ListRolloutsQuery = z.output<typeof listRolloutsQuerySchema>;
