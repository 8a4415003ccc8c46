import { describe, expect, test } from "vitest";
import { sloBodySchema } from "../../schemas/slo";
import { SLO_TEMPLATES, sloTemplate } from "./templates";

describe("SLO templates", () => {
  test.each(SLO_TEMPLATES)("%s is a valid SLO body, for a flag and for the whole environment", (template) => {
    for (const flagKey of ["support-bot.model", null]) {
      const values = sloTemplate(template, flagKey);
      expect(sloBodySchema.safeParse({ environment: "production", flagKey, ...values }).success).toBe(true);
    }
  });

  test("availability freezes promotions on a fast burn and on an exhausted budget", () => {
    expect(sloTemplate("availability", "f").policies).toEqual([
      { on: "page", actions: ["notify", "freeze_promotions"] },
      { on: "budget_exhausted", actions: ["notify", "freeze_promotions"] },
    ]);
  });
});
