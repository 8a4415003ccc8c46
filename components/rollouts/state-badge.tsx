import type { RolloutState } from "@/lib/domain/rollouts";
import { Badge } from "../ui/badge";
import { STATE_LABELS, STATE_TONES } from "./labels";

export function RolloutStateBadge({ state }: { state: string }) {
  const s = state as RolloutState;
  return (
    <Badge tone={STATE_TONES[s] ?? "neutral"} data-testid="rollout-state" data-state={state}>
      {STATE_LABELS[s] ?? state}
    </Badge>
  );
}
