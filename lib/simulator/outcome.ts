/**
 * One simulated call's outcome, as the event a service would report. Pure given the random
 * sources: `uniform` in [0, 1) and `normal` (standard normal).
 */
import type { OutcomeEventInput } from "../schemas/events";
import { ERROR_KINDS, profileOf } from "./profiles";
import { costOfCall, DEFAULT_MODEL_PRICES, findPrice } from "../domain/cost";

/** What to make worse in the treatment (both its served calls and its shadow calls). */
export interface Regression {
  /** Treatment error rate, replacing the model's own (0.1 = 10% of calls fail). */
  errorRateTreatment?: number;
  /** Milliseconds added to every treatment call. */
  latencyShiftMs?: number;
  /** Subtracted from the treatment's mean quality score (0.2 → 0.86 becomes 0.66). */
  qualityDrop?: number;
  /** Treatment cost multiplied by 1 + this (0.5 = 50% dearer); reported as costUsd. */
  costIncrease?: number;
}

export interface CallInput {
  id: string;
  timestamp: number;
  flagKey: string;
  variant: string;
  /** The variant's payload: `model`/`provider` pick the profile and the price. */
  payload: Record<string, unknown>;
  /** The evaluation answer's rollout; `stage` is echoed on the event (exact attribution). */
  rollout?: { id: string; stage?: number; arm: "control" | "treatment" };
  subjectKey: string;
  requestId: string;
  pairId?: string;
  /** Shadow calls are never seen by users: no feedback. */
  shadow?: boolean;
}

export interface RandomSources {
  uniform: () => number;
  normal: () => number;
}

/** Share of calls an LLM judge scores, and share of users who leave a thumbs up/down. */
export const JUDGED_SHARE = 0.5;
export const FEEDBACK_SHARE = 0.15;

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

function modelName(payload: Record<string, unknown>): string | null {
  const model = typeof payload.model === "string" ? payload.model : null;
  if (!model) return null;
  return typeof payload.provider === "string" ? `${payload.provider}/${model}` : model;
}

export function simulateCall(call: CallInput, regression: Regression, rnd: RandomSources): OutcomeEventInput {
  const model = modelName(call.payload);
  const profile = profileOf(model);
  const isTreatment = call.rollout?.arm === "treatment";
  const errorRate = isTreatment && regression.errorRateTreatment != null ? regression.errorRateTreatment : profile.errorRate;
  const success = rnd.uniform() >= errorRate;

  let latency = profile.latencyMedianMs * Math.exp(profile.latencySigma * rnd.normal());
  let errorType: string | undefined;
  if (!success) {
    let pick = rnd.uniform();
    const kind = ERROR_KINDS.find((k) => (pick -= k.share) < 0) ?? ERROR_KINDS[0];
    errorType = kind.type;
    latency *= kind.latencyFactor;
  }
  if (isTreatment) latency += regression.latencyShiftMs ?? 0;

  const inputTokens = Math.max(1, Math.round(profile.inputTokensMedian * Math.exp(0.5 * rnd.normal())));
  const outputTokens = success ? Math.max(1, Math.round(profile.outputTokensMedian * Math.exp(0.6 * rnd.normal()))) : 0;
  const qualityMean = profile.qualityMean - (isTreatment ? (regression.qualityDrop ?? 0) : 0);
  const quality = success ? clamp01(qualityMean + profile.qualitySd * rnd.normal()) : 0;

  const event: OutcomeEventInput = {
    id: call.id,
    timestamp: call.timestamp,
    flagKey: call.flagKey,
    variant: call.variant,
    subjectKey: call.subjectKey,
    requestId: call.requestId,
    latencyMs: Math.round(Math.max(1, latency) * 10) / 10,
    inputTokens,
    outputTokens,
    success,
    retried: !success && rnd.uniform() < 0.4,
  };
  if (call.rollout) {
    event.rolloutId = call.rollout.id;
    event.arm = call.rollout.arm;
    if (call.rollout.stage !== undefined) event.stage = call.rollout.stage;
  }
  if (call.pairId) event.pairId = call.pairId;
  if (model) event.model = model;
  if (errorType) event.errorType = errorType;
  if (rnd.uniform() < JUDGED_SHARE) event.qualityScore = Math.round(quality * 1000) / 1000;
  if (!call.shadow && rnd.uniform() < FEEDBACK_SHARE) event.feedback = rnd.uniform() < clamp01(quality + 0.05) ? 1 : -1;
  // A cost regression has to be reported explicitly; otherwise the server prices the tokens.
  if (isTreatment && regression.costIncrease && model) {
    const [provider, name] = model.includes("/") ? model.split("/", 2) : [undefined, model];
    const price = findPrice(DEFAULT_MODEL_PRICES, provider, name) ?? findPrice(DEFAULT_MODEL_PRICES, undefined, name);
    if (price) event.costUsd = costOfCall(price, inputTokens, outputTokens) * (1 + regression.costIncrease);
  }
  return event;
}
