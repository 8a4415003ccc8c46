/** Words and colours for rollout states and strategies, shared by every rollout screen. */
import type { RolloutState, RolloutStrategy } from "@/lib/domain/rollouts";
import type { BadgeTone } from "../ui/badge";

export const STATE_LABELS: Record<RolloutState, string> = {
  draft: "Draft",
  running: "Running",
  paused: "Paused",
  awaiting_approval: "Awaiting approval",
  completed: "Completed",
  rolled_back: "Rolled back",
  aborted: "Aborted",
};

export const STATE_TONES: Record<RolloutState, BadgeTone> = {
  draft: "neutral",
  running: "info",
  paused: "warning",
  awaiting_approval: "accent",
  completed: "success",
  rolled_back: "danger",
  aborted: "neutral",
};

export const STRATEGY_LABELS: Record<RolloutStrategy, string> = {
  shadow: "Shadow",
  canary: "Canary",
  ab_test: "A/B test",
  blue_green: "Blue-green",
};

export const STRATEGY_DESCRIPTIONS: Record<RolloutStrategy, string> = {
  canary: "Ramp the new variant 1% → 5% → 25% → 50% → 100%, baking at each stage; a reviewer approves leaving 25%.",
  shadow: "Users always get the current variant; a sample of requests also calls the new one and discards its answer, to compare both.",
  ab_test: "A fixed split (50/50 by default) until each arm has enough samples for a statistical verdict. Control stays the default.",
  blue_green: "Warm up green with shadow traffic, then switch everyone at once; blue stays ready for a one-click rollback until finalized.",
};
