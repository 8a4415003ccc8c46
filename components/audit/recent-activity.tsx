"use client";
import { useEffect, useState } from "react";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import { useRecentAudit } from "@/lib/client/hooks/use-audit";
import type { Environment } from "@/lib/client/types";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { SkeletonRows } from "../ui/skeleton";
import { ActionBadge } from "./action-badge";

/** The last few audit records as a compact feed (refreshes itself). */
export function RecentActivity({ environments, limit = 10 }: { environments?: Environment[]; limit?: number }) {
  const recent = useRecentAudit(limit);
  const now = useNow(30_000);

  if (recent.isPending) {
    return (
      <div className="pad">
        <SkeletonRows rows={5} columns={3} />
      </div>
    );
  }
  if (recent.isError) {
    return (
      <div className="pad">
        <ErrorPanel error={recent.error} compact onRetry={() => void recent.refetch()} />
      </div>
    );
  }
  if (recent.data.length === 0) {
    return <EmptyState title="No activity recorded yet">Sign-ins, user changes, flag edits and rollout transitions are recorded here as they happen.</EmptyState>;
  }
  const envName = (id: string | null) => (id ? environments?.find((e) => e.id === id)?.name : undefined);
  return (
    <ul className="feed" data-testid="recent-activity">
      {recent.data.map((r) => (
        <li key={r.id} className="feed-item">
          <ActionBadge action={r.action} />
          <span className="feed-text">
            <span className="feed-actor">{r.actorLabel}</span>
            <span className="muted">
              {" "}
              on {r.resourceType} {r.resourceName ?? <code className="small">{shorten(r.resourceId)}</code>}
              {envName(r.environmentId) ? ` in ${envName(r.environmentId)}` : ""}
            </span>
          </span>
          <time className="feed-time muted small" dateTime={r.occurredAt} title={formatDateTime(r.occurredAt)}>
            {now ? formatRelative(r.occurredAt, now) : formatDateTime(r.occurredAt)}
          </time>
        </li>
      ))}
    </ul>
  );
}

function shorten(id: string): string {
  return id.length > 14 ? `${id.slice(0, 12)}…` : id;
}

/** Current time, refreshed every `intervalMs`; 0 until mounted so server and client agree. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(0);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the clock starts at mount, so the server's render (0) and the first client render agree
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
