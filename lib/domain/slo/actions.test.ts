import { describe, expect, test } from "vitest";
import { decideBreachActions, promotionFreeze, type BreachState } from "./actions";
import { BURN_RATE_ALERT_RULES, type BurnRateAlert } from "./burn-rate";
import type { CeilingBreach } from "./ceilings";
import type { ErrorBudget } from "./error-budget";
import type { BreachPolicy, SloDefinition } from "./types";

const budget = (failures: number, allowed = 1000, total = 1_000_000): ErrorBudget => ({
  windowTotal: total,
  windowFailures: failures,
  allowedFailures: allowed,
  remainingFailures: allowed - failures,
  remainingFraction: (allowed - failures) / allowed,
  exhausted: failures >= allowed,
});

const alerts = (firing: { page?: boolean; ticket?: boolean } = {}): BurnRateAlert[] =>
  BURN_RATE_ALERT_RULES.map((r, i) => {
    const on = i === 0 ? firing.page : i === 2 ? firing.ticket : false;
    const burn = on ? r.threshold + 1.2 : 0.5;
    return { ...r, longBurn: burn, shortBurn: burn, firing: !!on };
  });

const p95Breach: CeilingBreach = {
  metric: "latency_p95",
  observed: 1850,
  ceiling: 1500,
  ratio: 1850 / 1500,
  message: "p95 latency 1,850 ms above the 1,500 ms ceiling",
};
const costBreach: CeilingBreach = {
  metric: "cost_per_day",
  observed: 1234.5,
  ceiling: 1000,
  ratio: 1.2345,
  message: "Cost per day $1,234.50 above the $1,000.00 ceiling",
};

const calm: BreachState = { alerts: alerts(), budget: budget(100), latencyBreaches: [], costBreaches: [] };

const policies: BreachPolicy[] = [
  { on: "page", actions: ["notify", "rollback_active_rollouts"] },
  { on: "ticket", actions: ["notify"] },
  { on: "budget_exhausted", actions: ["notify", "freeze_promotions"] },
  { on: "latency_breach", actions: ["switch_to_fallback"] },
  { on: "cost_breach", actions: ["circuit_break_variant"], variant: "gpt-4.1" },
];

const slo: SloDefinition = {
  id: "slo-1",
  name: "support-bot availability",
  environmentId: "env-prod",
  flagKey: "support-bot.model",
  successRateTarget: 0.999,
  windowDays: 28,
  policies,
};

describe("decideBreachActions", () => {
  test("nothing breached, nothing to do", () => {
    expect(decideBreachActions(slo, calm)).toEqual([]);
  });

  test.each([
    { name: "page alert", state: { alerts: alerts({ page: true }) }, actions: ["notify", "rollback_active_rollouts"] },
    { name: "ticket alert", state: { alerts: alerts({ ticket: true }) }, actions: ["notify"] },
    { name: "exhausted budget", state: { budget: budget(1240) }, actions: ["notify", "freeze_promotions"] },
    { name: "budget spent exactly", state: { budget: budget(1000) }, actions: ["notify", "freeze_promotions"] },
    { name: "latency breach", state: { latencyBreaches: [p95Breach] }, actions: ["switch_to_fallback"] },
    { name: "cost breach", state: { costBreaches: [costBreach] }, actions: ["circuit_break_variant"] },
  ])("$name → $actions", ({ state, actions }) => {
    expect(decideBreachActions(slo, { ...calm, ...state }).map((d) => d.action)).toEqual(actions);
  });

  test("the budget reason carries the numbers", () => {
    const [, freeze] = decideBreachActions(slo, { ...calm, budget: budget(1240) });
    expect(freeze).toEqual({
      action: "freeze_promotions",
      sloId: "slo-1",
      flagKey: "support-bot.model",
      triggers: ["budget_exhausted"],
      reason: "Error budget exhausted: 1,240 failures vs 1,000 allowed over 28 days (99.9% target)",
    });
  });

  test("the page reason names burn rates, windows and threshold", () => {
    const [notify] = decideBreachActions(slo, { ...calm, alerts: alerts({ page: true }) });
    expect(notify.reason).toBe("Error budget burning too fast (page): 15.6× over 1 h and 15.6× over 5 min (threshold 14.4×) against the 99.9% target");
  });

  test("an action asked for by several triggers appears once with every reason", () => {
    const decisions = decideBreachActions(slo, {
      alerts: alerts({ page: true, ticket: true }),
      budget: budget(1240),
      latencyBreaches: [p95Breach],
      costBreaches: [costBreach],
    });
    expect(decisions.map((d) => d.action)).toEqual(["notify", "freeze_promotions", "rollback_active_rollouts", "switch_to_fallback", "circuit_break_variant"]);
    const notify = decisions[0];
    expect(notify.triggers).toEqual(["page", "ticket", "budget_exhausted"]);
    expect(notify.reason.split("; ")).toHaveLength(3);
    expect(notify.reason).toContain("1,240 failures vs 1,000 allowed");
    expect(decisions[3].reason).toBe("Latency ceiling breached: p95 latency 1,850 ms above the 1,500 ms ceiling");
    expect(decisions[4]).toMatchObject({ variant: "gpt-4.1", reason: "Cost ceiling breached: Cost per day $1,234.50 above the $1,000.00 ceiling" });
  });

  test("circuit breaks of different variants stay separate, sorted by variant", () => {
    const twoVariants = {
      ...slo,
      policies: [
        { on: "cost_breach" as const, actions: ["circuit_break_variant" as const], variant: "b" },
        { on: "cost_breach" as const, actions: ["circuit_break_variant" as const], variant: "a" },
      ],
    };
    const decisions = decideBreachActions(twoVariants, { ...calm, costBreaches: [costBreach] });
    expect(decisions.map((d) => d.variant)).toEqual(["a", "b"]);
  });

  test("an environment-wide SLO skips flag actions but keeps the others", () => {
    const envWide = { ...slo, flagKey: null };
    const state = { ...calm, alerts: alerts({ page: true }), latencyBreaches: [p95Breach], costBreaches: [costBreach] };
    expect(decideBreachActions(envWide, state).map((d) => d.action)).toEqual(["notify", "rollback_active_rollouts"]);
  });

  test("a circuit break without a variant is skipped", () => {
    const noVariant = { ...slo, policies: [{ on: "cost_breach" as const, actions: ["circuit_break_variant" as const] }] };
    expect(decideBreachActions(noVariant, { ...calm, costBreaches: [costBreach] })).toEqual([]);
  });
});

describe("promotionFreeze", () => {
  const guarded = { ...slo, id: "a", name: "availability" };
  const notifyOnly = { ...slo, id: "b", name: "latency", policies: [{ on: "budget_exhausted" as const, actions: ["notify" as const] }] };
  const freezeOnPage = { ...slo, id: "c", name: "fast burn", policies: [{ on: "page" as const, actions: ["freeze_promotions" as const] }] };

  test.each([
    { name: "guarded SLO exhausted", budgets: { a: budget(1240) }, active: true, ids: ["a"] },
    { name: "guarded SLO spent exactly", budgets: { a: budget(1000) }, active: true, ids: ["a"] },
    { name: "guarded SLO with budget left", budgets: { a: budget(999) }, active: false, ids: [] },
    { name: "only a notify-only SLO exhausted", budgets: { a: budget(10), b: budget(5000) }, active: false, ids: [] },
    { name: "freeze on page, not on budget", budgets: { c: budget(5000) }, active: false, ids: [] },
    { name: "budget missing", budgets: {}, active: false, ids: [] },
  ])("$name → active $active", ({ budgets, active, ids }) => {
    const freeze = promotionFreeze([guarded, notifyOnly, freezeOnPage], budgets);
    expect(freeze.active).toBe(active);
    expect(freeze.sloIds).toEqual(ids);
  });

  test("the reason names the SLO and its numbers; a Map works too", () => {
    const freeze = promotionFreeze([guarded], new Map([["a", budget(1240)]]));
    expect(freeze.reason).toBe('Promotions frozen, error budget exhausted. SLO "availability": 1,240 failures vs 1,000 allowed over 28 days (99.9% target)');
  });

  test.each([
    { slos: [notifyOnly], reason: "No SLO freezes promotions on an exhausted error budget" },
    { slos: [guarded], reason: "No exhausted error budget among 1 SLO that freeze promotions" },
  ])("inactive reason: $reason", ({ slos, reason }) => {
    expect(promotionFreeze(slos, { a: budget(1), b: budget(5000) }).reason).toBe(reason);
  });
});
