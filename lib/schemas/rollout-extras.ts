import { z } from "zod";
import {
  MAX_REQUIRED_APPROVALS,
  createRolloutBodySchema,
  listRolloutsQuerySchema,
  rolloutStrategySchema,
  type CreateRolloutBody,
} from "./rollouts";

/**
 * Schemas of the rollout endpoints beyond lib/schemas/rollouts.ts: the create request that
 * remembers whether `requiredApprovals` was sent (absent → the admin setting applies), the list
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
  return given ? { ...rest, requiredApprovals } : rest;
});

export const listRolloutsFilterSchema = listRolloutsQuerySchema.extend({
  strategy: rolloutStrategySchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ListRolloutsFilter = z.output<typeof listRolloutsFilterSchema>;

export const requiredApprovalsSettingSchema = z.strictObject({
  requiredApprovals: z.int().min(1).max(MAX_REQUIRED_APPROVALS),
});
export type RequiredApprovalsSetting = z.output<typeof requiredApprovalsSettingSchema>;
