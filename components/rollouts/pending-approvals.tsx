"use client";
import Link from "next/link";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { formatRelative } from "@/lib/client/format";
import { useRollouts } from "@/lib/client/hooks/rollouts";
import { Card, CardBody, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { IconCheck } from "../ui/icons";
import { SkeletonRows } from "../ui/skeleton";

const AWAITING = ["awaiting_approval" as const];

/** Overview card: promotions of the selected environment that wait for reviewers. */
export function PendingApprovals({ canApprove }: { canApprove: boolean }) {
  const env = useEnvironmentKey();
  const rollouts = useRollouts(env, { state: AWAITING });
  // eslint-disable-next-line react-hooks/purity -- ages shown in the list are as of this render
  const now = Date.now();
  const items = rollouts.data ?? [];

  const list = (
    <ul className="list" data-testid="pending-approvals">
      {items.map((r) => (
        <li key={r.id} className="list-item" data-testid="pending-approval" data-flag={r.flagKey}>
          <span className="list-item-main">
            <Link className="list-item-title link mono" href={withEnvironment(`/rollouts/${r.id}`, env)}>
              {r.flagKey}
            </Link>
            <span className="muted small">
              Leaving {r.stage} · {r.pendingApproval ? `${r.pendingApproval.approvals} of ${r.requiredApprovals} approvals` : ""} · requested by {r.pendingApproval?.requestedBy.label ?? "—"}
              {r.pendingApproval && <> {formatRelative(r.pendingApproval.requestedAt, now)}</>}
            </span>
          </span>
          <Link className="btn btn-sm" href={withEnvironment(`/rollouts/${r.id}`, env)}>
            {canApprove ? "Review" : "Open"}
          </Link>
        </li>
      ))}
    </ul>
  );

  return (
    <Card>
      <CardHeader title="Pending approvals" description="Promotions that passed their automated checks and need a reviewer other than their requester." />
      <CardBody flush={items.length > 0}>
        {rollouts.isPending ? (
          <SkeletonRows rows={2} columns={2} />
        ) : rollouts.isError ? (
          <ErrorPanel error={rollouts.error} compact onRetry={() => void rollouts.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState icon={<IconCheck size={22} />} title="Nothing waiting for review">
            When a stage that requires a reviewer is ready to be left, its promotion waits here until someone other than its requester approves or rejects it.
          </EmptyState>
        ) : (
          list
        )}
      </CardBody>
    </Card>
  );
}
