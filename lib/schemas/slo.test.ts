import { describe, expect, test } from "vitest";
import { SLO_TEMPLATES, sloTemplate } from "../domain/slo/templates";
import { sloBodySchema } from "./slo";

const good = () => ({
  environment: "production",
  name: "Support bot availability",
  flagKey: "support-bot.model",
  successRateTarget: 0.999,
  windowDays: 28,
  latencyP95MsMax: 1500,
  costPerDayUsdMax: 1000,
  policies: [
    { on: "page", actions: ["notify", "rollback_active_rollouts"] },
    { on: "budget_exhausted", actions: ["freeze_promotions"] },
    { on: "latency_breach", actions: ["switch_to_fallback"] },
    { on: "cost_breach", actions: ["circuit_break_variant"], variant: "claude" },
  ],
});

/** The first issue's path and message, or null when the body parses. */
const firstIssue = (body: unknown) => {
  const result = sloBodySchema.safeParse(body);
  return result.success ? null : { path: result.error.issues[0].path.join("."), message: result.error.issues[0].message };
};

describe("sloBodySchema", () => {
  test("a full body parses", () => {
    expect(firstIssue(good())).toBeNull();
  });

  test("defaults: 28-day window, no policies; environment-wide without flagKey", () => {
    const parsed = sloBodySchema.parse({ environment: "staging", name: "  all traffic  ", successRateTarget: 0.99 });
    expect(parsed).toEqual({ environment: "staging", name: "all traffic", successRateTarget: 0.99, windowDays: 28, policies: [] });
  });

  test.each([
    { name: "target 1", patch: { successRateTarget: 1 }, path: "successRateTarget", message: /> 0 and < 1.*no error budget/ },
    { name: "target 0", patch: { successRateTarget: 0 }, path: "successRateTarget", message: /> 0 and < 1/ },
    { name: "target as a percentage", patch: { successRateTarget: 99.9 }, path: "successRateTarget", message: /0.999 for 99.9%/ },
    { name: "target as text", patch: { successRateTarget: "0.999" }, path: "successRateTarget", message: /a fraction such as 0.999/ },
    { name: "30-day window", patch: { windowDays: 30 }, path: "windowDays", message: /^windowDays must be 7 or 28$/ },
    { name: "zero ceiling", patch: { latencyP95MsMax: 0 }, path: "latencyP95MsMax", message: /must be > 0 \(milliseconds\)/ },
    { name: "negative cost ceiling", patch: { costPerDayUsdMax: -1 }, path: "costPerDayUsdMax", message: /must be > 0 \(USD per day\)/ },
    { name: "empty name", patch: { name: "   " }, path: "name", message: /^name is required$/ },
    { name: "unknown key", patch: { windowDay: 7 }, path: "", message: /windowDay/ },
    {
      name: "p99 below p95",
      patch: { latencyP95MsMax: 1500, latencyP99MsMax: 1200 },
      path: "latencyP99MsMax",
      message: /^latencyP99MsMax \(1200\) must be ≥ latencyP95MsMax \(1500\)$/,
    },
  ])("$name → $path", ({ patch, path, message }) => {
    const issue = firstIssue({ ...good(), ...patch });
    expect(issue?.path).toBe(path);
    expect(issue?.message).toMatch(message);
  });

  test("null clears a ceiling", () => {
    const body = { ...good(), latencyP95MsMax: null, policies: [] };
    expect(sloBodySchema.parse(body).latencyP95MsMax).toBeNull();
  });

  test.each([
    { name: "unknown trigger", policy: { on: "slow", actions: ["notify"] }, path: "policies.0.on", message: /on must be one of: page, ticket/ },
    { name: "unknown action", policy: { on: "page", actions: ["reboot"] }, path: "policies.0.actions.0", message: /action must be one of: notify/ },
    { name: "no actions", policy: { on: "page", actions: [] }, path: "policies.0.actions", message: /at least one action/ },
    { name: "repeated action", policy: { on: "page", actions: ["notify", "notify"] }, path: "policies.0.actions.1", message: /"notify" is listed twice/ },
    { name: "circuit break without variant", policy: { on: "page", actions: ["circuit_break_variant"] }, path: "policies.0.variant", message: /needs the variant/ },
    { name: "variant without circuit break", policy: { on: "page", actions: ["notify"], variant: "claude" }, path: "policies.0.variant", message: /only used with circuit_break_variant/ },
  ])("policy: $name", ({ policy, path, message }) => {
    const issue = firstIssue({ ...good(), policies: [policy] });
    expect(issue?.path).toBe(path);
    expect(issue?.message).toMatch(message);
  });

  test.each([
    {
      name: "latency policy without a latency ceiling",
      body: { ...good(), latencyP95MsMax: undefined, policies: [{ on: "latency_breach", actions: ["notify"] }] },
      path: "policies.0.on",
      message: /latency_breach policy needs at least one latency ceiling/,
    },
    {
      name: "cost policy without a cost ceiling",
      body: { ...good(), costPerDayUsdMax: null, policies: [{ on: "cost_breach", actions: ["notify"] }] },
      path: "policies.0.on",
      message: /cost_breach policy needs a cost ceiling/,
    },
    {
      name: "fallback switch on an environment-wide SLO",
      body: { ...good(), flagKey: null, policies: [{ on: "page", actions: ["notify", "switch_to_fallback"] }] },
      path: "policies.0.actions.1",
      message: /^switch_to_fallback acts on a flag: set flagKey or choose another action$/,
    },
  ])("cross-field: $name", ({ body, path, message }) => {
    const issue = firstIssue(body);
    expect(issue?.path).toBe(path);
    expect(issue?.message).toMatch(message);
  });
});

describe("SLO templates", () => {
  test.each(SLO_TEMPLATES)("%s is a valid SLO body, for a flag and for the whole environment", (template) => {
    for (const flagKey of ["support-bot.model", null]) {
      const values = sloTemplate(template, flagKey);
      expect(sloBodySchema.safeParse({ environment: "production", flagKey, ...values }).success).toBe(true);
    }
  });
});
