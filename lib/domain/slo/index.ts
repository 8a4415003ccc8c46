/** Public API of the SLO domain: error budgets, burn rates and alerts, ceilings, breach actions. */
export * from "./types";
export { errorBudget, describeBudget, MINUTES_PER_DAY, type ErrorBudget } from "./error-budget";
export { budgetSeries, type BudgetPoint } from "./budget-series";
export { burnRate, burnRateAlerts, burnRateSeries, BURN_RATE_ALERT_RULES, MAX_BURN_RATE_POINTS, type AlertSeverity, type BurnRateAlert, type BurnRateAlertRule, type BurnRatePoint } from "./burn-rate";
export { latencyBreaches, costBreaches, type CeilingBreach, type CostMetric, type LatencyMetric, type ObservedCost, type ObservedLatency } from "./ceilings";
export { decideBreachActions, promotionFreeze, freezesOnExhaustedBudget, type BreachDecision, type BreachState, type PromotionFreeze } from "./actions";
export { indexMinuteCounts, sumWindow, MINUTE_MS, type CountIndex, type WindowCounts } from "./window";
export { errorBudgetRatio, formatTarget, formatWindow } from "./numbers";
export { SLO_TEMPLATES, sloTemplate, type SloTemplate, type SloTemplateValues } from "./templates";
