"use client";
import { useState } from "react";
import type { GateMetric } from "@/lib/domain/gates";
import { rolloutExportUrl, useGateHistory } from "@/lib/client/hooks/gates";
import { Button, ButtonLink } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { IconDownload } from "../ui/icons";
import { SkeletonRows } from "../ui/skeleton";
import { GateHistoryChart } from "./gate-history-chart";
import { GateTable } from "./gate-table";
import styles from "./gates.module.css";
import { LastActionBanner } from "./last-action-banner";

const EXPORTS = [
  { file: "alert-rules.yaml", label: "Prometheus alert rules" },
  { file: "grafana-dashboard.json", label: "Grafana dashboard" },
  { file: "playbook.md", label: "Rollback playbook" },
  { file: "postmortem.md", label: "Post-mortem draft" },
] as const;

/**
 * Gates of a rollout for its detail page: the last automatic action in words, the current
 * stage's gates with their latest verdicts, one gate's history as a chart, and the exports.
 */
export function GatePanel({ rolloutId }: { rolloutId: string }) {
  const query = useGateHistory(rolloutId);
  const [picked, setPicked] = useState<string | null>(null);

  if (query.isPending) {
    return (
      <Card>
        <CardHeader title="Gates" />
        <div className="pad">
          <SkeletonRows rows={3} columns={5} />
        </div>
      </Card>
    );
  }
  if (query.isError) {
    return (
      <Card>
        <CardHeader title="Gates" />
        <div className="pad">
          <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
        </div>
      </Card>
    );
  }

  const data = query.data;
  const stage = data.stages[data.currentStageIndex];
  const selected = picked ?? data.current[0]?.name ?? null;
  const selectedGate = data.current.find((g) => g.name === selected) ?? null;
  const points = data.history.filter((h) => h.gateName === selected && h.stageIndex === data.currentStageIndex);
  const evaluator = data.autoAdvance
    ? "The evaluator promotes on its own once bake time, samples and every gate pass; a critical failure rolls back, any other failure pauses."
    : "A critical failure rolls back on its own and any other failure pauses; promotion is manual (auto-advance is off).";

  return (
    <Card data-testid="gate-panel">
      <CardHeader title="Gates" description={`${stage ? `${stage.label}: ` : ""}${evaluator} Inconclusive never passes.`} />
      <CardBody className="stack">
        <LastActionBanner reason={data.lastAutomaticAction} />
        {stage?.invalidGates.length ? <div className="alert alert-danger">Ignored invalid gates: {stage.invalidGates.join("; ")}</div> : null}
        {data.current.length === 0 ? (
          <EmptyState title="No gates on this stage">Leaving it depends only on bake time, minimum samples and, where the plan says so, a reviewer.</EmptyState>
        ) : (
          <>
            <GateTable gates={data.current} history={data.history.filter((h) => h.stageIndex === data.currentStageIndex)} />
            <div>
              <div className={styles.gatePicker} role="group" aria-label="Gate to chart">
                {data.current.map((g) => (
                  <Button key={g.name} size="sm" variant={g.name === selected ? "primary" : "secondary"} onClick={() => setPicked(g.name)} aria-pressed={g.name === selected}>
                    {g.name}
                  </Button>
                ))}
              </div>
              {points.length === 0 ? (
                <p className="muted small">No evaluations of this gate yet in this stage; the evaluator runs every few seconds once traffic arrives.</p>
              ) : (
                <GateHistoryChart points={points} metric={(selectedGate?.metric ?? "success_rate") as GateMetric} />
              )}
            </div>
          </>
        )}
        <div className={styles.exports} data-testid="rollout-exports">
          {EXPORTS.map((e) => (
            <ButtonLink key={e.file} external download href={rolloutExportUrl(rolloutId, e.file)} size="sm" icon={<IconDownload size={14} />}>
              {e.label}
            </ButtonLink>
          ))}
        </div>
      </CardBody>
    </Card>
  );
}
