import type { HTMLAttributes } from "react";
import { cx } from "./cx";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger" | "accent";

export function Badge({ tone = "neutral", mono, className, ...rest }: HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone; mono?: boolean }) {
  return <span className={cx("badge", `badge-${tone}`, mono && "mono", className)} {...rest} />;
}

/** Consistent colours for roles wherever they are shown. */
export const ROLE_TONE: Record<string, BadgeTone> = {
  admin: "accent",
  operator: "info",
  reviewer: "warning",
  viewer: "neutral",
};

export function RoleBadges({ roles }: { roles: readonly string[] }) {
  return (
    <span className="badge-list">
      {roles.map((r) => (
        <Badge key={r} tone={ROLE_TONE[r] ?? "neutral"}>
          {r}
        </Badge>
      ))}
    </span>
  );
}
