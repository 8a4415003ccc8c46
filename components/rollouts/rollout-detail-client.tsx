"use client";
import Link from "next/link";
import { useState } from "react";
import { formatDuration, type RolloutCommandType, type RolloutStrategy } from "@/lib/domain/rollouts";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { formatDateTime } from "@/lib/client/format";
import { useRollout } from "@/lib/client/hooks/rollouts";
import { Badge } from "../ui/badge";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorPanel } from "../ui/error-panel";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { ApprovalsPanel } from "./approvals-panel";
import { CommandDialog } from "./command-dialog";
import { GatePanel } from "../gates/gate-panel";
import { ComparisonPanel } from "../analysis/comparison-panel";
import { rolloutEnding } from "@/lib/domain/rollouts/ending";
import { EndingBanner } from "./ending-banner";
import { HistoryList } from "./history-list";
import { STRATEGY_LABELS } from "./labels";
import { CommandButtons } from "./rollout-actions";
import styles from "./rollouts.module.css";
import { StageTimeline } from "./stage-timeline";
import { RolloutStateBadge } from "./state-badge";
import { TrafficSplitBar } from "./traffic-split-bar";
import { useTransientNotice } from "@/lib/client/hooks/use-notice";
import { RolloutExtras } from "./rollout-extras";

/** Rollouts → one rollout: split, stages, actions, approvals, history; refreshed every 3 s. */
export function RolloutDetailClient({ id }: { id: string }) {
  const env = useEnvironmentKey();
  const query = useRollout(id);
  const [command, setCommand] = useState<RolloutCommandType | null>(null);
  const [notice, setNotice] = useTransientNotice(8000);

  const back = (
    <Link className="link" href={withEnvironment("/rollouts", env)}>
      Rollouts
    </Link>
  );
  if (query.isPending) {
    return (
      <>
        <PageHeader eyebrow={back} title="Rollout" />
        <Card>
          <div className="pad">
            <SkeletonRows rows={6} columns={4} />
          </div>
        </Card>
      </>
    );
  }
  if (query.isError) {
    return (
      <>
        <PageHeader eyebrow={back} title="Rollout" />
        <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }

  const r = query.data;
  const strategy = STRATEGY_LABELS[r.strategy as RolloutStrategy] ?? r.strategy;
  // An ended rollout leads with how and why it ended; no stage is "current" after that.
  const ending = rolloutEnding(r);
  return (
    <>
      <PageHeader
        eyebrow={back}
        title={r.flag.key}
        description={
          <>
            {strategy} from <code>{r.controlVariant}</code> to <code>{r.treatmentVariant}</code> in <strong>{r.environment.key}</strong> · {ending ? "ended at stage" : "stage"}{" "}
            {r.currentStageIndex + 1} of {r.stages.length} · version {r.version}
          </>
        }
        actions={<RolloutStateBadge state={r.state} />}
      />
      {notice && (
        <div className="alert alert-success" role="status" data-testid="command-notice">
          {notice}
        </div>
      )}
      {r.state === "awaiting_approval" && r.pendingApproval && (
        <div className={styles.banner} role="status">
          <span>
            Leaving {r.pendingApproval.stage} waits for {r.pendingApproval.requiredApprovals - r.pendingApproval.approvals.length} more reviewer approval
            {r.pendingApproval.requiredApprovals - r.pendingApproval.approvals.length === 1 ? "" : "s"} (requested by {r.pendingApproval.requestedBy.label}).
          </span>
        </div>
      )}
      {ending ? (
        <EndingBanner ending={ending} />
      ) : (
        r.lastAutomaticAction && (
          <div className="alert" role="note">
            Last automatic action: {r.lastAutomaticAction}
          </div>
        )
      )}

      <div className="grid grid-main-side">
        <div className="stack">
          <Card>
            <CardHeader title="Traffic split" description="What evaluation serves right now; every command takes effect at once." />
            <CardBody>
              <TrafficSplitBar
                trafficBasisPoints={r.servedSplit.trafficBasisPoints}
                shadowSampleBasisPoints={r.servedSplit.shadowSampleBasisPoints}
                controlVariant={r.controlVariant}
                treatmentVariant={r.treatmentVariant}
              />
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Actions" description="Each asks for confirmation and names its effect first." />
            <CardBody>
              {r.actions.length === 0 ? (
                <p className="muted small" data-testid="no-actions">
                  This rollout has ended ({r.state.replace("_", " ")}); nothing more can be done with it. Create a new rollout to continue.
                </p>
              ) : (
                <CommandButtons rollout={r} except={["approve", "reject"]} onPick={setCommand} />
              )}
              {r.progress.blockers.length > 0 && (
                <p className={styles.actionHint} data-testid="blockers">
                  Not ready to leave {r.currentStage}: {r.progress.blockers.join("; ")}.
                </p>
              )}
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Stages" description="Done, current and next; bake time and samples are counted from the current stage's start." />
            <CardBody flush>
              <StageTimeline rollout={r} />
            </CardBody>
          </Card>

          {/* Gates, their history and the last automatic action (the background evaluator). */}
          <GatePanel rolloutId={r.id} />

          <Card>
            <CardHeader title="History" description="Every transition with who, when and why. The audit log holds the same, hash-chained." />
            <CardBody flush>
              <HistoryList rollout={r} />
            </CardBody>
          </Card>
        </div>

        <div className="stack">
          <ApprovalsPanel rollout={r} onPick={setCommand} />
          <RolloutExtras rollout={r} />
          <Card>
            <CardHeader title="Details" />
            <CardBody>
              <dl className="kv">
                <dt>Flag</dt>
                <dd>
                  <code>{r.flag.key}</code> ({r.flag.kind}) · default <code>{r.flag.defaultVariant}</code>
                </dd>
                <dt>Created</dt>
                <dd>
                  {formatDateTime(r.createdAt)} by {r.createdBy.label}
                </dd>
                <dt>Started</dt>
                <dd>{formatDateTime(r.startedAt)}</dd>
                {r.endedAt && (
                  <>
                    <dt>Ended</dt>
                    <dd>{formatDateTime(r.endedAt)}</dd>
                  </>
                )}
                <dt>{ending ? "Ended at" : "Current stage"}</dt>
                <dd>
                  {r.currentStage}
                  {r.stageStartedAt && !ending && <> since {formatDateTime(r.stageStartedAt)}</>}
                </dd>
                <dt>Bake left</dt>
                <dd>{r.progress.bakeRemainingSeconds > 0 ? formatDuration(r.progress.bakeRemainingSeconds) : "—"}</dd>
                <dt>Auto-advance</dt>
                <dd>{r.autoAdvance ? <Badge tone="info">On</Badge> : "Off"}</dd>
                {r.description && (
                  <>
                    <dt>Description</dt>
                    <dd>{r.description}</dd>
                  </>
                )}
              </dl>
            </CardBody>
          </Card>
        </div>
      </div>

      {/* Full width: the verdict table and the charts need the room (no clipped column at 1280 px). */}
      <ComparisonPanel rolloutId={r.id} stageCount={r.stages.length} ending={ending} />

      <CommandDialog rollout={r} command={command} onClose={() => setCommand(null)} onDone={setNotice} />
    </>
  );
}
