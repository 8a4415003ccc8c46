import { expect, test } from "vitest";
import { countArmOutcome, countEvaluation, countEvaluatorTick, countIngestedEvents, setSloGauges } from "./count";
import { renderMetrics } from "./registry";

test("counters appear in the Prometheus text exposition", async () => {
  countEvaluation("production", "support-bot.model", "SPLIT", 3);
  countIngestedEvents("production", { accepted: 5, duplicates: 1, rejected: 0 });
  countArmOutcome({ rolloutId: "r1", flag: "support-bot.model", arm: "treatment", success: false, latencyMs: 1200, costUsd: 0.002 });
  countEvaluatorTick("ran", 0.042);
  setSloGauges({ id: "s1", name: "chat availability", environment: "production" }, 0.25, { "1h": 14.4 });
  const { body, contentType } = await renderMetrics();
  expect(contentType).toMatch(/^text\/plain/);
  expect(body).toContain('rollgate_evaluations_total{environment="production",flag="support-bot.model",reason="SPLIT"} 3');
  expect(body).toContain('rollgate_ingested_events_total{environment="production",result="accepted"} 5');
  expect(body).not.toContain('result="rejected"');
  expect(body).toContain('rollgate_arm_outcomes_total{rollout_id="r1",flag="support-bot.model",arm="treatment",outcome="error"} 1');
  expect(body).toContain('rollgate_arm_latency_seconds_bucket{le="2",rollout_id="r1",flag="support-bot.model",arm="treatment"} 1');
  expect(body).toContain('rollgate_evaluator_ticks_total{outcome="ran"} 1');
  expect(body).toContain('rollgate_slo_burn_rate{slo_id="s1",slo="chat availability",environment="production",window="1h"} 14.4');
  expect(body).toContain("rollgate_process_");
});

test("a bad label never throws into the caller", () => {
  expect(() => countEvaluation(undefined as unknown as string, "f", "r")).not.toThrow();
});
