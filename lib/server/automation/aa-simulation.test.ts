/**
 * Continuous looking stays honest: 1,000 simulated A/A canaries (treatment identical to control)
 * are checked after every second of traffic through the same code the evaluator runs — the
 * analysis rows (analyzeMetrics, always-valid intervals), the gate observations, the canary
 * template's default gates and the automatic decision — and at most 1% of them may be rolled
 * back. The same harness with a treatment that fails 30% of calls must roll every canary back,
 * so the bound is not met by gates that never fire.
 */
import { describe, expect, test } from "vitest";
import { decideAutomaticAction, defaultGatesForStage, evaluateGate, type GateEvaluation, type GateSpec } from "../../domain/gates";
import { DEFAULT_GATE_MIN_SAMPLES } from "../../domain/gates/spec";
import { emptyCounters } from "../../domain/metrics/aggregate";
import { analyzeMetrics, DEFAULT_GATE_METRICS } from "../../domain/metrics/analyze-metrics";
import { srmCheck } from "../../domain/metrics/panels";
import type { RollupCounters } from "../../domain/metrics/types";
import { DEFAULT_SEQUENTIAL_TUNING, mulberry32 } from "../../domain/stats";
import type { AnalysisMetric } from "../../schemas/analysis";
import { observationFromMetric } from "./observations";

const CANARIES = Number(process.env.AA_CANARIES ?? 1_000);
const REQUESTS_PER_SECOND = 300;
const TREATMENT_BASIS_POINTS = 500; // a 5% canary
const STAGE_SECONDS = 600;
const LOOK_SECONDS = 5;
const BASE_ERROR_RATE = 0.02;

/** Binomial draw by inversion: exact, and fast for the small means used here. */
function binomial(n: number, p: number, uniform: () => number): number {
  const q = 1 - p;
  let probability = q ** n;
  let cumulative = probability;
  const u = uniform();
  let k = 0;
  while (u > cumulative && k < n) {
    probability *= ((n - k) / (k + 1)) * (p / q);
    cumulative += probability;
    k++;
  }
  return k;
}

function addCalls(c: RollupCounters, calls: number, errors: number): void {
  c.count += calls;
  c.successes += calls - errors;
  c.errors += errors;
  if (errors > 0) c.errorsByType.timeout = (c.errorsByType.timeout ?? 0) + errors;
}

interface CanaryOutcome {
  rolledBack: boolean;
  /** Seconds into the stage when it was rolled back. */
  atSecond: number | null;
  trigger: string[];
}

function simulateCanary(seed: number, treatmentErrorRate: number): CanaryOutcome {
  const uniform = mulberry32(seed);
  const stage = { trafficBasisPoints: TREATMENT_BASIS_POINTS, shadowSampleBasisPoints: 0, minBakeSeconds: 300 };
  const gates: GateSpec[] = defaultGatesForStage("canary", stage);
  const gateMetrics = [...new Set(gates.filter((g) => g.kind === "comparison").map((g) => g.metric as AnalysisMetric))];
  const control = emptyCounters();
  const treatment = emptyCounters();
  const stageStartedAt = new Date(Date.UTC(2026, 0, 1));
  for (let second = LOOK_SECONDS; second <= STAGE_SECONDS; second += LOOK_SECONDS) {
    const requests = REQUESTS_PER_SECOND * LOOK_SECONDS;
    const toTreatment = binomial(requests, TREATMENT_BASIS_POINTS / 10_000, uniform);
    const toControl = requests - toTreatment;
    addCalls(control, toControl, binomial(toControl, BASE_ERROR_RATE, uniform));
    addCalls(treatment, toTreatment, binomial(toTreatment, treatmentErrorRate, uniform));

    const rows = analyzeMetrics({
      strategy: "canary",
      control,
      treatment,
      gateMetrics: gateMetrics.length > 0 ? gateMetrics : DEFAULT_GATE_METRICS,
      basis: "sequential",
      alpha: 0.05,
      confidence: 0.95,
      tuning: Math.max(DEFAULT_SEQUENTIAL_TUNING, 2 * DEFAULT_GATE_MIN_SAMPLES),
      minSamples: DEFAULT_GATE_MIN_SAMPLES,
      requiredSamples: DEFAULT_GATE_MIN_SAMPLES,
    });
    const srm = srmCheck({ strategy: "canary", stageIndex: 0, trafficBasisPoints: TREATMENT_BASIS_POINTS, control: control.count, treatment: treatment.count }).srm;
    const results: GateEvaluation[] = gates.map((gate) => {
      if (gate.metric === "srm") {
        return evaluateGate(gate, srm ? { control: { n: srm.observed.control, estimate: null }, treatment: { n: srm.observed.treatment, estimate: null }, pValue: srm.pValue } : null);
      }
      const row = rows.find((r) => r.metric === gate.metric);
      return evaluateGate(gate, row ? observationFromMetric(row, "sequential") : null);
    });
    const decision = decideAutomaticAction({
      state: "running",
      autoAdvance: false,
      results,
      readiness: { bakeElapsed: second >= stage.minBakeSeconds, samplesReached: treatment.count >= DEFAULT_GATE_MIN_SAMPLES },
      stageStartedAt,
      stageRequiresApproval: false,
      isLastStage: false,
      stageName: "stage 1 (5%)",
      now: new Date(stageStartedAt.getTime() + second * 1000),
    });
    if (decision.action === "rollback") return { rolledBack: true, atSecond: second, trigger: decision.trigger.map((g) => g.gateName) };
  }
  return { rolledBack: false, atSecond: null, trigger: [] };
}

function simulate(treatmentErrorRate: number, seedBase: number) {
  const outcomes = Array.from({ length: CANARIES }, (_, i) => simulateCanary(seedBase + i, treatmentErrorRate));
  const rolledBack = outcomes.filter((o) => o.rolledBack);
  const seconds = rolledBack.map((o) => o.atSecond as number).sort((a, b) => a - b);
  return {
    rate: rolledBack.length / CANARIES,
    medianSecond: seconds.length ? seconds[Math.floor(seconds.length / 2)] : null,
    triggers: rolledBack.flatMap((o) => o.trigger),
  };
}

describe("A/A simulation of continuously monitored canaries", () => {
  test(`at most 1% of ${CANARIES} identical canaries are rolled back over ${STAGE_SECONDS / LOOK_SECONDS} looks each`, () => {
    const aa = simulate(BASE_ERROR_RATE, 1);
    console.log(`A/A: ${(aa.rate * 100).toFixed(1)}% rolled back (${aa.triggers.join(", ") || "none"})`);
    expect(aa.rate).toBeLessThanOrEqual(0.01);
  }, 120_000);

  test("a treatment failing 30% of calls is rolled back every time, within seconds of enough evidence", () => {
    const bad = simulate(0.3, 100_000);
    console.log(`30% failing treatment: ${(bad.rate * 100).toFixed(1)}% rolled back, median after ${bad.medianSecond} s`);
    expect(bad.rate).toBe(1);
    // 100 treatment samples (the gates' minimum) take about 100 / 15 ≈ 7 s at 5% of 300 requests/s.
    expect(bad.medianSecond).toBeLessThanOrEqual(15);
  }, 120_000);
});
