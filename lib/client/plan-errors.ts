import { isDomainError } from "@/lib/domain/errors";
import { validatePlan, type RolloutStrategy, type StagePlan } from "@/lib/domain/rollouts";
import { ROLLOUT_RULES, humanFieldErrors, schemaIssues, type FieldIssue, type FieldMessages } from "./field-errors";
import { stagePlanSchema } from "@/lib/schemas/rollouts";

/** Stage fields the stages table shows a message under (gates have their own editor). */
export const STAGE_FIELDS = ["trafficBasisPoints", "shadowSampleBasisPoints", "minBakeSeconds", "minSamplesPerArm"] as const;

/**
 * Every problem of a plan in words, keyed by path ("stages.0.trafficBasisPoints"): each stage
 * against the server's stage schema (all at once, so −5% and 150% are both named), then, once the
 * stages are well formed, the plan's own rules (a ramp never decreases, the strategy's shape).
 */
export function planFieldErrors(strategy: RolloutStrategy, stages: readonly StagePlan[]): FieldMessages {
  const issues: FieldIssue[] = stages.flatMap((stage, i) =>
    schemaIssues(stagePlanSchema, stage)
      .filter((issue) => !issue.path.startsWith("gates"))
      .map((issue) => ({ ...issue, path: `stages.${i}.${issue.path}` })),
  );
  if (issues.length === 0) {
    try {
      validatePlan(strategy, stages);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      const field = typeof e.details?.field === "string" ? e.details.field : "stages";
      issues.push({ path: field, message: e.message });
    }
  }
  return humanFieldErrors(issues, ROLLOUT_RULES);
}
