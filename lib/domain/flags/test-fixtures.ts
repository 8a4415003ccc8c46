import type { ActiveRolloutSnapshot, FlagSnapshot } from "./types";

/** Test data builders; not exported from index.ts. */
export const makeFlag = (overrides: Partial<FlagSnapshot> = {}): FlagSnapshot => ({
  key: "support-bot.model",
  kind: "model",
  variants: [
    { key: "gpt-4o", payload: { provider: "openai", model: "gpt-4o" } },
    { key: "claude", payload: { provider: "anthropic", model: "claude-sonnet-4" } },
    { key: "safe", payload: { provider: "openai", model: "gpt-4o-mini" } },
  ],
  defaultVariant: "gpt-4o",
  fallbackVariant: "safe",
  stickiness: "userId",
  enabled: true,
  killSwitch: false,
  salt: "flag-salt",
  rules: [],
  rollout: null,
  ...overrides,
});

export const makeRollout = (overrides: Partial<ActiveRolloutSnapshot> = {}): ActiveRolloutSnapshot => ({
  id: "ro_1",
  strategy: "canary",
  state: "running",
  salt: "rollout-salt",
  controlVariant: "gpt-4o",
  treatmentVariant: "claude",
  stageIndex: 2,
  trafficBasisPoints: 2500,
  shadowSampleBasisPoints: 0,
  ...overrides,
});

/** An rng that fails the test if the engine draws from it. */
export const forbiddenRng = (): number => {
  throw new Error("rng must not be called here");
};

/** An rng that returns the given values in order, then repeats the last one. */
export const sequenceRng = (...values: number[]) => {
  let i = 0;
  const rng = () => values[Math.min(i++, values.length - 1)];
  return Object.assign(rng, { calls: () => i });
};
