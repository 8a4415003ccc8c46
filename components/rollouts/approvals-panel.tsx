"use client";
import type { RolloutCommandType } from "@/lib/domain/rollouts";
import type { RolloutDetail } from "@/lib/client/hooks/rollouts";
import { formatDateTime } from "@/lib/client/format";
import { Badge } from "../ui/badge";
import { Card, CardBody, CardHeader } from "../ui/card";
import { CommandButtons } from "./rollout-actions";
import styles from "./rollouts.module.css";

/**
 * Who asked for the promotion waiting now, the approvals so far out of those needed, the
 * approve/reject buttons (disabled with the reason for the requester and non-reviewers), and the
 * decisions taken on earlier stages.
 */
export function ApprovalsPanel({ rollout, onPick }: { rollout: RolloutDetail; onPick: (c: RolloutCommandType) => void }) {
  const pending = rollout.pendingApproval;
  const gated = rollout.stages.some((s) => s.requiresApproval);
  return (
    <Card data-testid="approvals-panel">
      <CardHeader title="Approvals" description={`${rollout.requiredApprovals} distinct reviewer${rollout.requiredApprovals === 1 ? "" : "s"} per gated stage; never the requester.`} />
      <CardBody>
        {pending ? (
          <div className="stack" style={{ gap: 12 }}>
            <dl className="kv">
              <dt>Waiting</dt>
              <dd>Leaving {pending.stage}</dd>
              <dt>Requested by</dt>
              <dd data-testid="requested-by">{pending.requestedBy.label}</dd>
              <dt>Requested</dt>
              <dd>{formatDateTime(pending.requestedAt)}</dd>
              <dt>Approvals</dt>
              <dd data-testid="approval-count">
                {pending.approvals.length} of {pending.requiredApprovals}
              </dd>
            </dl>
            {pending.approvals.length > 0 && (
              <ul className="list">
                {pending.approvals.map((a) => (
                  <li key={a.by.id} className="list-item small">
                    <Badge tone="success">Approved</Badge> {a.by.label} · {formatDateTime(a.at)}
                    {a.comment && <p className={styles.comment}>{a.comment}</p>}
                  </li>
                ))}
              </ul>
            )}
            <CommandButtons rollout={rollout} only={["approve", "reject"]} onPick={onPick} />
          </div>
        ) : (
          <p className="muted small">{gated ? "No promotion is waiting for review." : "No stage of this plan requires a reviewer."}</p>
        )}
        {rollout.approvals.length > 0 && (
          <>
            <h3 className="small" style={{ margin: "16px 0 8px" }}>
              Decisions
            </h3>
            <ul className="list" data-testid="approval-decisions">
              {rollout.approvals.map((a) => (
                <li key={a.id} className="list-item small" style={{ display: "block" }}>
                  <Badge tone={a.decision === "approved" ? "success" : "danger"}>{a.decision === "approved" ? "Approved" : "Rejected"}</Badge> stage {a.stageIndex + 1} by {a.decidedBy.label} ·{" "}
                  {formatDateTime(a.createdAt)}
                  <div className="muted">requested by {a.requestedBy.label}</div>
                  {a.comment && <p className={styles.comment}>{a.comment}</p>}
                </li>
              ))}
            </ul>
          </>
        )}
      </CardBody>
    </Card>
  );
}
