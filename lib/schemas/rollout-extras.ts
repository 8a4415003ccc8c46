import { z } from "zod";
import { defaultGatesForStage } from "../domain/gates/defaults";
import { MAX_REQUIRED_APPROVALS, createRolloutBodySchema, listRolloutsQuerySchema, rolloutStrategySchema, type CreateRolloutBody } from "./rollouts";

/**
 * Schemas of the rollout endpoints beyond lib/schemas/rollouts.ts: the create request that
 * remembers whether `requiredApprovals` was sent (absent → the admin setting applies) and fills
 * default gates into stages sent without `gates`, the list
 * filter with a strategy, and the admin setting of required approvals (1-5).
 */

export type CreateRolloutRequest = Omit<CreateRolloutBody, "requiredApprovals"> & {
  /** Absent → the `rollouts.requiredApprovals` setting at creation time. */
  requiredApprovals?: number;
};

/** createRolloutBodySchema, except that an omitted `requiredApprovals` stays undefined. */
export const createRolloutRequestSchema = z.unknown().transform((raw, ctx): CreateRolloutRequest => {
  const parsed = createRolloutBodySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: "custom", path: issue.path as (string | number)[], message: issue.message });
    }
    return z.NEVER;
  }
  const given = typeof raw === "object" && raw !== null && "requiredApprovals" in raw;
  const { requiredApprovals, ...rest } = parsed.data;
  const withGates = { ...rest, stages: defaultGatesWhereOmitted(rest.strategy, rest.stages, raw) };
  return given ? { ...withGates, requiredApprovals } : withGates;
});

/**
 * A stage sent without a `gates` key gets its strategy's default gates (as the templates do);
 * `"gates": []` means no gates, on purpose.
 */
function defaultGatesWhereOmitted(strategy: CreateRolloutBody["strategy"], stages: CreateRolloutBody["stages"], raw: unknown): CreateRolloutBody["stages"] {
  if (!stages) return stages;
  const rawStages = (raw as { stages?: unknown[] }).stages ?? [];
  return stages.map((s, i) => {
    const sent = rawStages[i];
    const omitted = typeof sent === "object" && sent !== null && !("gates" in sent);
    return omitted ? { ...s, gates: defaultGatesForStage(strategy, s) } : s;
  });
}

export const listRolloutsFilterSchema = listRolloutsQuerySchema.extend({
  strategy: rolloutStrategySchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ListRolloutsFilter = z.output<typeof listRolloutsFilterSchema>;

export const requiredApprovalsSettingSchema = z.strictObject({
  requiredApprovals: z.int().min(1).max(MAX_REQUIRED_APPROVALS),
});
export type RequiredApprovalsSetting = z.output<typeof requiredApprovalsSettingSchema>;
