/** A rolled-back canary with default gates, shared by the export tests. */
import { strategyTemplate } from "../../rollouts/templates";
import { withDefaultGates } from "../defaults";
import { gateSpecSchema, type GateSpec } from "../spec";
import type { ExportInput } from "./types";

export function exportFixture(): ExportInput {
  const stages = withDefaultGates("canary", strategyTemplate("canary")).map((s) => ({ ...s, gates: s.gates as GateSpec[] }));
  stages[1]!.gates.push(
    gateSpecSchema.parse({ name: "quality", kind: "comparison", metric: "quality_score" }),
    gateSpecSchema.parse({ name: "upstream 5xx", kind: "threshold", metric: "promql", query: 'sum(rate(http_requests_total{code=~"5.."}[5m]))', operator: "<", bound: 1 }),
  );
  return {
    rollout: {
      id: "9b2f4c1e-0000-4000-8000-000000000001",
      flagKey: "support-bot.model",
      environmentKey: "production",
      strategy: "canary",
      state: "rolled_back",
      description: "",
      controlVariant: "gpt-4o",
      treatmentVariant: "gpt-4.1",
      currentStageIndex: 1,
      stages,
      autoAdvance: true,
      lastAutomaticAction: "Rolled back at 14:02 UTC: treatment success rate 91.8% vs 98.9%, p < 0.001, critical gate 'success rate'",
      createdAt: new Date("2026-11-24T13:00:00Z"),
      startedAt: new Date("2026-11-24T13:10:00Z"),
      endedAt: new Date("2026-11-24T14:02:10Z"),
    },
    baseUrl: "http://127.0.0.1:3000",
    slos: [{ id: "slo-1", name: "support availability", successRateTarget: 0.995, windowDays: 28 }],
    events: [
      { at: new Date("2026-11-24T13:10:00Z"), actorType: "user", actorLabel: "ana@rollgate.test", action: "rollout.start", text: "Started at stage 1 (1%)" },
      {
        at: new Date("2026-11-24T13:40:00Z"),
        actorType: "system",
        actorLabel: "system",
        action: "rollout.promote",
        text: "Promoted at 13:40 UTC: all 4 gates pass after the bake time at stage 1 (1%)",
      },
      {
        at: new Date("2026-11-24T14:02:10Z"),
        actorType: "system",
        actorLabel: "system",
        action: "rollout.rollback",
        text: "Rolled back at 14:02 UTC: treatment success rate 91.8% vs 98.9%, p < 0.001, critical gate 'success rate'",
      },
    ],
    gateResults: [
      {
        gateName: "success rate",
        metric: "success_rate",
        stageIndex: 1,
        verdict: "pass",
        critical: true,
        value: 0.99,
        controlValue: 0.989,
        pValue: 0.6,
        sentence: "ok",
        evaluatedAt: new Date("2026-11-24T13:50:00Z"),
      },
      {
        gateName: "success rate",
        metric: "success_rate",
        stageIndex: 1,
        verdict: "fail",
        critical: true,
        value: 0.918,
        controlValue: 0.989,
        pValue: 1e-9,
        sentence: "treatment success rate 91.8% vs 98.9%, p < 0.001",
        evaluatedAt: new Date("2026-11-24T14:02:04Z"),
      },
    ],
    arms: { control: { requests: 19_000, successes: 18_791, costUsd: 38 }, treatment: { requests: 1000, successes: 918, costUsd: 1.5 } },
    now: new Date("2026-11-24T15:00:00Z"),
  };
}
