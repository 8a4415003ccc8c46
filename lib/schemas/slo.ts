import { z } from "zod";
import { BREACH_ACTIONS, BREACH_TRIGGERS, type BreachAction } from "../domain/slo/types";
import { environmentKeySchema } from "./common";
import { flagKeySchema, variantKeySchema } from "./flags";

/**
 * Zod schemas of the SLO API (create, and update as a full replacement). Strict objects: an
 * unknown key is an error. Limits: name 1-100 chars, ≤ 20 policies, each with 1-5 distinct actions.
 * Ceilings are optional, > 0 when given, and null clears them.
 */

export const MAX_SLO_NAME_CHARS = 100;
export const MAX_POLICIES = 20;

/** Actions on one flag: they need the SLO to name a flag. */
const FLAG_ACTIONS: readonly BreachAction[] = ["switch_to_fallback", "circuit_break_variant"];

export const breachTriggerSchema = z.enum(BREACH_TRIGGERS, {
  error: `on must be one of: ${BREACH_TRIGGERS.join(", ")}`,
});
export const breachActionSchema = z.enum(BREACH_ACTIONS, {
  error: `action must be one of: ${BREACH_ACTIONS.join(", ")}`,
});

/** One breach policy; `variant` names the variant to cut off and goes only with circuit_break_variant. */
export const breachPolicySchema = z
  .strictObject({
    on: breachTriggerSchema,
    actions: z
      .array(breachActionSchema)
      .min(1, { error: "a policy needs at least one action" })
      .max(BREACH_ACTIONS.length, { error: `a policy has at most ${BREACH_ACTIONS.length} actions` }),
    variant: variantKeySchema.optional(),
  })
  .superRefine((policy, ctx) => {
    policy.actions.forEach((action, i) => {
      if (policy.actions.indexOf(action) !== i) {
        ctx.addIssue({ code: "custom", path: ["actions", i], message: `action "${action}" is listed twice` });
      }
    });
    const breaks = policy.actions.includes("circuit_break_variant");
    if (breaks && !policy.variant) {
      ctx.addIssue({ code: "custom", path: ["variant"], message: "circuit_break_variant needs the variant to cut off" });
    }
    if (!breaks && policy.variant) {
      ctx.addIssue({ code: "custom", path: ["variant"], message: "variant is only used with circuit_break_variant" });
    }
  });

const ceiling = (unit: string) =>
  z
    .number({ error: `must be a number (${unit})` })
    .positive({ error: `must be > 0 (${unit}); leave it out or send null for no ceiling` })
    .nullable()
    .optional();

/**
 * POST/PUT body of an SLO. Without `flagKey` (or null) the SLO covers the whole environment.
 * Cross-field rules, each reported on the field to fix:
 * - latency ceilings, when several are given, must not decrease from p50 to p95 to p99;
 * - a latency_breach policy needs a latency ceiling and a cost_breach policy a cost ceiling
 *   (otherwise it could never fire);
 * - switch_to_fallback and circuit_break_variant need a flagKey.
 */
export const sloBodySchema = z
  .strictObject({
    environment: environmentKeySchema,
    name: z
      .string({ error: "name is required" })
      .trim()
      .min(1, { error: "name is required" })
      .max(MAX_SLO_NAME_CHARS, { error: `name is at most ${MAX_SLO_NAME_CHARS} characters` }),
    flagKey: flagKeySchema.nullable().optional(),
    successRateTarget: z
      .number({ error: "successRateTarget is required: a fraction such as 0.999 for 99.9%" })
      .gt(0, { error: "successRateTarget must be > 0 and < 1, a fraction such as 0.999 for 99.9%" })
      .lt(1, {
        error: "successRateTarget must be > 0 and < 1, a fraction such as 0.999 for 99.9% (1 leaves no error budget)",
      }),
    windowDays: z.union([z.literal(7), z.literal(28)], { error: "windowDays must be 7 or 28" }).default(28),
    latencyP50MsMax: ceiling("milliseconds"),
    latencyP95MsMax: ceiling("milliseconds"),
    latencyP99MsMax: ceiling("milliseconds"),
    costPerRequestUsdMax: ceiling("USD per request"),
    costPerDayUsdMax: ceiling("USD per day"),
    policies: z
      .array(breachPolicySchema)
      .max(MAX_POLICIES, { error: `an SLO has at most ${MAX_POLICIES} policies` })
      .default([]),
  })
  .superRefine((slo, ctx) => {
    const latency: { name: string; value: number | null | undefined }[] = [
      { name: "latencyP50MsMax", value: slo.latencyP50MsMax },
      { name: "latencyP95MsMax", value: slo.latencyP95MsMax },
      { name: "latencyP99MsMax", value: slo.latencyP99MsMax },
    ];
    const set = latency.flatMap(({ name, value }) => (value == null ? [] : [{ name, value }]));
    for (let i = 1; i < set.length; i++) {
      const { name: lowerName, value: lower } = set[i - 1];
      const { name, value } = set[i];
      if (value < lower) {
        ctx.addIssue({ code: "custom", path: [name], message: `${name} (${value}) must be ≥ ${lowerName} (${lower})` });
      }
    }

    const hasLatencyCeiling = set.length > 0;
    const hasCostCeiling = slo.costPerRequestUsdMax != null || slo.costPerDayUsdMax != null;
    slo.policies.forEach((policy, i) => {
      if (policy.on === "latency_breach" && !hasLatencyCeiling) {
        ctx.addIssue({
          code: "custom",
          path: ["policies", i, "on"],
          message: "a latency_breach policy needs at least one latency ceiling " + "(latencyP50MsMax, latencyP95MsMax or latencyP99MsMax)",
        });
      }
      if (policy.on === "cost_breach" && !hasCostCeiling) {
        ctx.addIssue({
          code: "custom",
          path: ["policies", i, "on"],
          message: "a cost_breach policy needs a cost ceiling (costPerRequestUsdMax or costPerDayUsdMax)",
        });
      }
      if (slo.flagKey == null) {
        policy.actions.forEach((action, j) => {
          if (FLAG_ACTIONS.includes(action)) {
            ctx.addIssue({
              code: "custom",
              path: ["policies", i, "actions", j],
              message: `${action} acts on a flag: set flagKey or choose another action`,
            });
          }
        });
      }
    });
  });

export type SloBody = z.infer<typeof sloBodySchema>;
export type SloBodyInput = z.input<typeof sloBodySchema>;
