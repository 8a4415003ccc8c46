/**
 * How simulated models behave: latency (log-normal around a median), token counts, error rate
 * and kinds, judged quality and user feedback. Numbers are typical of hosted chat models in
 * production (small/fast models answer in ~0.5 s, large ones in 1–2 s with long tails).
 */

export interface ModelProfile {
  /** Median latency of a successful call, ms. */
  latencyMedianMs: number;
  /** Log-normal shape: 0.4 → p95 ≈ 1.9 × median, p99 ≈ 2.5 × median. */
  latencySigma: number;
  inputTokensMedian: number;
  outputTokensMedian: number;
  /** Share of calls that fail. */
  errorRate: number;
  /** Mean LLM-as-judge quality score, 0..1. */
  qualityMean: number;
  qualitySd: number;
}

const PROFILES: Record<string, ModelProfile> = {
  "gpt-4o": { latencyMedianMs: 900, latencySigma: 0.45, inputTokensMedian: 850, outputTokensMedian: 260, errorRate: 0.01, qualityMean: 0.82, qualitySd: 0.1 },
  "gpt-4o-mini": { latencyMedianMs: 600, latencySigma: 0.4, inputTokensMedian: 850, outputTokensMedian: 240, errorRate: 0.012, qualityMean: 0.74, qualitySd: 0.12 },
  "gpt-4.1": { latencyMedianMs: 1000, latencySigma: 0.45, inputTokensMedian: 850, outputTokensMedian: 280, errorRate: 0.01, qualityMean: 0.84, qualitySd: 0.09 },
  "gpt-4.1-mini": { latencyMedianMs: 650, latencySigma: 0.4, inputTokensMedian: 850, outputTokensMedian: 250, errorRate: 0.011, qualityMean: 0.78, qualitySd: 0.11 },
  "gpt-4.1-nano": { latencyMedianMs: 420, latencySigma: 0.35, inputTokensMedian: 850, outputTokensMedian: 220, errorRate: 0.015, qualityMean: 0.68, qualitySd: 0.13 },
  "o3-mini": { latencyMedianMs: 2600, latencySigma: 0.55, inputTokensMedian: 850, outputTokensMedian: 900, errorRate: 0.012, qualityMean: 0.86, qualitySd: 0.08 },
  "claude-sonnet-4": { latencyMedianMs: 1100, latencySigma: 0.5, inputTokensMedian: 900, outputTokensMedian: 300, errorRate: 0.009, qualityMean: 0.86, qualitySd: 0.09 },
  "claude-opus-4": { latencyMedianMs: 2200, latencySigma: 0.5, inputTokensMedian: 900, outputTokensMedian: 340, errorRate: 0.01, qualityMean: 0.9, qualitySd: 0.07 },
  "claude-3-5-haiku": { latencyMedianMs: 550, latencySigma: 0.4, inputTokensMedian: 900, outputTokensMedian: 230, errorRate: 0.012, qualityMean: 0.75, qualitySd: 0.12 },
  "gemini-2.5-pro": { latencyMedianMs: 1500, latencySigma: 0.5, inputTokensMedian: 820, outputTokensMedian: 320, errorRate: 0.012, qualityMean: 0.86, qualitySd: 0.09 },
  "gemini-2.5-flash": { latencyMedianMs: 500, latencySigma: 0.4, inputTokensMedian: 820, outputTokensMedian: 260, errorRate: 0.012, qualityMean: 0.77, qualitySd: 0.12 },
  "llama-3.1-70b-instruct": { latencyMedianMs: 700, latencySigma: 0.5, inputTokensMedian: 880, outputTokensMedian: 270, errorRate: 0.02, qualityMean: 0.72, qualitySd: 0.13 },
};

/** For variants that name no known model (e.g. prompt variants): a mid-size hosted model. */
export const DEFAULT_PROFILE: ModelProfile = { latencyMedianMs: 900, latencySigma: 0.45, inputTokensMedian: 850, outputTokensMedian: 260, errorRate: 0.01, qualityMean: 0.8, qualitySd: 0.1 };

/** The profile of a model name ("gpt-4o", "openai/gpt-4o"), case-insensitive; the default otherwise. */
export function profileOf(model: string | null | undefined): ModelProfile {
  if (!model) return DEFAULT_PROFILE;
  const name = model.toLowerCase().split(/[/:]/).pop() ?? "";
  return PROFILES[name] ?? DEFAULT_PROFILE;
}

/** Error kinds and their shares among failures, with how long a failing call takes. */
export const ERROR_KINDS = [
  { type: "timeout", share: 0.35, latencyFactor: 6 },
  { type: "rate_limited", share: 0.3, latencyFactor: 0.05 },
  { type: "server_error", share: 0.2, latencyFactor: 0.6 },
  { type: "invalid_output", share: 0.15, latencyFactor: 1 },
] as const;
