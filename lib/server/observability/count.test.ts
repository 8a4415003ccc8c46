import { expect, test } from "vitest";
import { countArmOutcome, countEvaluation, countEvaluatorTick, countExposure, countIngestedEvents, setSloGauges } from "./count";
import { createRollgateMetrics, renderMetrics } from "./registry";

test("counters appear in the Prometheus text exposition", async () => {
  countEvaluation("production", "support-bot.model", "SPLIT", 3);
  countExposure("production", "support-bot.model", "r1", "treatment", 2);
  countIngestedEvents("production", { accepted: 5, duplicates: 1, rejected: 0 });
  countArmOutcome({ environment: "production", rolloutId: "r1", flag: "support-bot.model", arm: "treatment", success: false, latencyMs: 1200, costUsd: 0.002 });
  countEvaluatorTick("ran", 0.042);
  setSloGauges({ id: "s1", name: "chat availability", environment: "production" }, 0.25, { "1h": 14.4 });
  const { body, contentType } = await renderMetrics();
  expect(contentType).toMatch(/^text\/plain/);
  expect(body).toContain('rollgate_evaluations_total{environment="production",flag="support-bot.model",reason="SPLIT"} 3');
  expect(body).toContain('rollgate_exposures_total{environment="production",flag="support-bot.model",rollout_id="r1",arm="treatment"} 2');
  expect(body).toContain('rollgate_ingested_events_total{environment="production",result="accepted"} 5');
  expect(body).not.toContain('result="rejected"');
  expect(body).toContain('rollgate_arm_outcomes_total{environment="production",flag="support-bot.model",rollout_id="r1",arm="treatment",outcome="error"} 1');
  expect(body).toContain('rollgate_arm_latency_seconds_bucket{le="2",environment="production",flag="support-bot.model",rollout_id="r1",arm="treatment"} 1');
  expect(body).toContain('rollgate_arm_cost_usd_total{environment="production",flag="support-bot.model",rollout_id="r1",arm="treatment"} 0.002');
  expect(body).toContain('rollgate_evaluator_ticks_total{outcome="ran"} 1');
  expect(body).toContain('rollgate_slo_burn_rate{slo_id="s1",slo="chat availability",environment="production",window="1h"} 14.4');
  expect(body).toContain("rollgate_process_");
});

test("counts taken between two scrapes add up: the collected counter never goes back", async () => {
  countEvaluation("staging", "grow.model", "DEFAULT", 2);
  const first = await renderMetrics();
  expect(first.body).toContain('rollgate_evaluations_total{environment="staging",flag="grow.model",reason="DEFAULT"} 2');
  countEvaluation("staging", "grow.model", "DEFAULT", 5);
  const second = await renderMetrics();
  expect(second.body).toContain('rollgate_evaluations_total{environment="staging",flag="grow.model",reason="DEFAULT"} 7');
});

test("a bad label never throws into the caller", () => {
  expect(() => countEvaluation(undefined as unknown as string, "f", "DEFAULT")).not.toThrow();
  expect(() => countArmOutcome({ environment: "e", rolloutId: "r", flag: "f", arm: "nope" as "control", success: true })).not.toThrow();
});

test("the cardinality cap: flags and rollouts past the limit fold into `other`, on every series", async () => {
  const m = createRollgateMetrics(2);
  for (const flag of ["a", "b", "c", "d"]) m.serving.evaluation("prod", flag, "DEFAULT");
  m.serving.evaluation("prod", "a", "DEFAULT");
  for (const [i, rollout] of ["r1", "r2", "r3"].entries()) m.serving.exposure("prod", ["a", "b", "c"][i], rollout, "control");
  const arm = (flag: string, rollout_id: string) => ({ environment: "prod", flag: m.caps.flags.label(flag), rollout_id: m.caps.rollouts.label(rollout_id), arm: "treatment" });
  m.armOutcomes.inc({ ...arm("d", "r4"), outcome: "success" });
  m.armOutcomes.inc({ ...arm("a", "r1"), outcome: "success" });

  const body = await m.registry.metrics();
  // First seen keeps its label; the rest share `other`, summed.
  expect(body).toContain('rollgate_evaluations_total{environment="prod",flag="a",reason="DEFAULT"} 2');
  expect(body).toContain('rollgate_evaluations_total{environment="prod",flag="b",reason="DEFAULT"} 1');
  expect(body).toContain('rollgate_evaluations_total{environment="prod",flag="other",reason="DEFAULT"} 2');
  expect(body).toContain('rollgate_exposures_total{environment="prod",flag="a",rollout_id="r1",arm="control"} 1');
  expect(body).toContain('rollgate_exposures_total{environment="prod",flag="b",rollout_id="r2",arm="control"} 1');
  expect(body).toContain('rollgate_exposures_total{environment="prod",flag="other",rollout_id="other",arm="control"} 1');
  expect(body).toContain('rollgate_arm_outcomes_total{environment="prod",flag="other",rollout_id="other",arm="treatment",outcome="success"} 1');
  expect(body).toContain('rollgate_arm_outcomes_total{environment="prod",flag="a",rollout_id="r1",arm="treatment",outcome="success"} 1');
  expect(body.match(/^rollgate_evaluations_total\{/gm)).toHaveLength(3);
  expect(m.caps.flags.size).toBe(2);
  expect(m.caps.rollouts.size).toBe(2);
});

test("a flag key the environment does not have is never a label", async () => {
  const m = createRollgateMetrics(100);
  m.serving.flagNotFound("prod");
  m.serving.flagNotFound("prod");
  const body = await m.registry.metrics();
  expect(body).toContain('rollgate_evaluations_total{environment="prod",flag="other",reason="FLAG_NOT_FOUND"} 2');
  expect(m.caps.flags.size).toBe(0);
});
