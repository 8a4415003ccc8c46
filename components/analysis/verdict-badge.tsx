import type { Verdict } from "@/lib/schemas/analysis";
import { Badge, type BadgeTone } from "../ui/badge";

const VERDICT_LABEL: Record<Verdict, string> = {
  better: "Better",
  worse: "Worse",
  no_difference: "No detectable difference",
  insufficient_data: "Not enough data",
};

const VERDICT_TONE: Record<Verdict, BadgeTone> = {
  better: "success",
  worse: "danger",
  no_difference: "info",
  insufficient_data: "neutral",
};

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <Badge tone={VERDICT_TONE[verdict]} data-testid="verdict-badge">
      {VERDICT_LABEL[verdict]}
    </Badge>
  );
}
