import { Badge } from "../ui/badge";

const TONE = { pass: "success", fail: "danger", inconclusive: "neutral" } as const;

export function VerdictBadge({ verdict, critical }: { verdict: "pass" | "fail" | "inconclusive" | null; critical?: boolean }) {
  if (!verdict) return <Badge tone="neutral">not evaluated</Badge>;
  return (
    <Badge tone={TONE[verdict]} data-verdict={verdict}>
      {verdict}
      {critical && verdict === "fail" ? " · critical" : ""}
    </Badge>
  );
}
