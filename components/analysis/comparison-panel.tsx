"use client";
import { useState } from "react";
import { formatValue } from "@/lib/domain/metrics/catalog";
import { stageReadiness, type StageReadinessStatus } from "@/lib/domain/metrics/panels";
import { formatDuration } from "@/lib/domain/rollouts";
import type { RolloutEnding } from "@/lib/domain/rollouts/ending";
import { useRolloutAnalysis } from "@/lib/client/hooks/analysis";
import type { AnalysisResponse, CostPanel, PowerPanel, StageProgress } from "@/lib/schemas/analysis";
import { Card, CardBody, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { Select } from "../ui/field";
import { SkeletonRows } from "../ui/skeleton";
import styles from "./analysis.module.css";
import { ComparisonCharts } from "./comparison-charts";
import { PowerCalculator } from "./power-calculator";
import { formatUtc } from "./utc";
import { BASIS_LABEL, VerdictTable } from "./verdict-table";

const count = (n: number) => n.toLocaleString("en-US");
const usd = (v: number | null, digits = 2) => (v == null ? "—" : `$${v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`);
const pct = (bp: number) => `${(bp / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`;

/**
 * The old-vs-new comparison of one rollout: summary, SRM banner, verdict table, charts over time
 * with stage boundaries, sample progress per stage, cost and (A/B) power. Refreshed live; shows
 * nothing invented while services have not reported outcomes yet. An ended rollout (`ending`)
 * is marked on every chart, and its comparison reads as what the data said up to the end.
 */
export function ComparisonPanel({ rolloutId, stageCount, ending = null }: { rolloutId: string; stageCount: number; ending?: RolloutEnding | null }) {
  const [stage, setStage] = useState<number | undefined>(undefined);
  const query = useRolloutAnalysis(rolloutId, stage === undefined ? {} : { stage });

  const stagePicker = (
    <label className={styles.toolbar}>
      <span className="muted small">Window</span>
      <Select aria-label="Analysis window" value={stage ?? ""} onChange={(e) => setStage(e.target.value === "" ? undefined : Number(e.target.value))}>
        <option value="">Whole rollout</option>
        {Array.from({ length: stageCount }, (_, i) => (
          <option key={i} value={i}>
            Stage {i + 1} only
          </option>
        ))}
      </Select>
    </label>
  );

  return (
    <Card data-testid="comparison-panel">
      <CardHeader
        title="Old vs new"
        description="Control vs treatment on what services report through POST /api/v1/events. Intervals and p-values are always-valid while the rollout is monitored, so watching does not inflate false alarms; an A/B test switches to fixed-horizon once it has its planned sample."
        actions={stagePicker}
      />
      <CardBody>
        {query.isPending ? (
          <SkeletonRows rows={5} columns={5} />
        ) : query.isError ? (
          <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data.samples.control + query.data.samples.treatment === 0 ? (
          <NoOutcomesYet />
        ) : (
          <ComparisonBody analysis={query.data} ending={ending} />
        )}
      </CardBody>
    </Card>
  );
}

function NoOutcomesYet() {
  return (
    <div data-testid="comparison-empty">
      <EmptyState title="No outcomes reported for this rollout yet">
        <p>
          Services report each call&apos;s outcome with <code>POST /api/v1/events</code>, echoing the <code>rolloutId</code> and <code>arm</code> of the assignment. Charts and verdicts appear with the
          first events; <code>npm run simulate</code> drives demo traffic.
        </p>
      </EmptyState>
    </div>
  );
}

function ComparisonBody({ analysis, ending }: { analysis: AnalysisResponse; ending: RolloutEnding | null }) {
  const a = analysis;
  const live = !ending && a.window.to === a.generatedAt;
  return (
    <div className={styles.sections}>
      <div className={styles.summary}>
        <span className={`${styles.summaryText} ${ending ? styles.ended : ""}`} data-testid="analysis-summary">
          {ending ? `${ending.marker} — the comparison up to then: ${a.summary.charAt(0).toLowerCase()}${a.summary.slice(1)}` : a.summary}
        </span>
        <span className={styles.meta}>
          {count(a.samples.control)} control · {count(a.samples.treatment)} treatment outcomes · {BASIS_LABEL[a.verdictBasis]} intervals and p-values, α = {a.alpha} · updated{" "}
          {formatUtc(a.generatedAt)}
        </span>
      </div>

      {a.srm?.mismatch && (
        <div className="alert alert-danger" role="alert" data-testid="srm-banner">
          <strong>Sample-ratio mismatch.</strong> {a.srm.sentence} The split is not what the plan says, so the comparison cannot be trusted until the cause is found (assignment bug, bot traffic,
          events dropped by one arm).
        </div>
      )}

      <section>
        <div className={styles.sectionTitle}>Verdicts</div>
        <VerdictTable analysis={a} />
      </section>

      <section>
        <div className={styles.chartHead}>
          <div className={styles.sectionTitle}>Over time (UTC)</div>
          <div className={styles.legend}>
            <span>
              <span className={`${styles.swatch} ${styles.swatchControl}`} />
              control ({a.rollout.controlVariant})
            </span>
            <span>
              <span className={`${styles.swatch} ${styles.swatchTreatment}`} />
              treatment ({a.rollout.treatmentVariant})
            </span>
          </div>
        </div>
        <ComparisonCharts series={a.series} window={a.window} live={live} marker={ending?.at ? { at: ending.at, label: ending.marker } : null} />
      </section>

      <section>
        <div className={styles.sectionTitle}>Samples per stage</div>
        <SampleProgress analysis={a} />
      </section>

      <section>
        <div className={styles.sectionTitle}>Cost</div>
        <CostSummary cost={a.cost} strategy={a.rollout.strategy} />
      </section>

      {a.rollout.strategy === "ab_test" && (
        <section>
          <div className={styles.sectionTitle}>Sample size and time to completion</div>
          {a.power && <PowerStatus power={a.power} ended={ending != null} />}
          <PowerCalculator baseline={a.power?.baseline ?? null} />
        </section>
      )}
    </div>
  );
}

const READINESS_NOTE: Record<StageReadinessStatus, string> = {
  not_started: "not reached",
  collecting: "current",
  reached: "current · minimum reached",
  promoted: "promoted",
  ended: "ended here",
};

/** Per stage: outcomes per arm against the stage's minimum; a bar only fills for what a stage did. */
function SampleProgress({ analysis }: { analysis: AnalysisResponse }) {
  const { stages, srm, srmNote, rollout } = analysis;
  return (
    <>
      <ul className={styles.progressList} data-testid="sample-progress">
        {stages.map((s: StageProgress) => {
          const r = stageReadiness({ stage: s, state: rollout.state, currentStageIndex: rollout.currentStageIndex });
          return (
            <li key={s.index} className={styles.progressRow} data-testid="stage-samples" data-index={s.index} data-status={r.status}>
              <span>
                Stage {s.index + 1} · {pct(s.trafficBasisPoints)}
                <span className={styles.gateMark}>{READINESS_NOTE[r.status]}</span>
              </span>
              <span className={styles.progressBar} role="img" aria-label={`Stage ${s.index + 1}: ${Math.round(r.fraction * 100)}% of the minimum samples (${READINESS_NOTE[r.status]})`}>
                <span
                  className={`${styles.progressFill} ${r.status === "promoted" || r.status === "reached" ? styles.progressDone : ""}`}
                  style={{ width: `${r.fraction * 100}%`, display: "block" }}
                />
              </span>
              <span className={styles.num}>
                {r.status === "not_started" ? "—" : `${count(s.samples.control)} / ${count(s.samples.treatment)}`}
                <span className={styles.sub}>of {count(s.minSamplesPerArm)} per arm</span>
              </span>
            </li>
          );
        })}
      </ul>
      <p className="muted small">{srm ? srm.sentence : srmNote}</p>
    </>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className={styles.stat} data-testid={testId}>
      <div className={styles.statLabel}>{label}</div>
      <div className={styles.statValue}>{value}</div>
    </div>
  );
}

function CostSummary({ cost, strategy }: { cost: CostPanel; strategy: AnalysisResponse["rollout"]["strategy"] }) {
  const parallel = strategy === "shadow" || strategy === "blue_green";
  return (
    <>
      <div className={styles.stats} data-testid="cost-panel">
        <Stat label="Control per request" value={formatValue("cost_per_request", cost.costPerRequest.control)} />
        <Stat label="Treatment per request" value={formatValue("cost_per_request", cost.costPerRequest.treatment)} />
        <Stat label="Treatment at 100%, per month" value={usd(cost.treatmentMonthlyAt100, 0)} />
        <Stat label="Change per month" value={cost.deltaMonthly == null ? "—" : `${cost.deltaMonthly >= 0 ? "+" : "−"}${usd(Math.abs(cost.deltaMonthly), 0)}`} />
        {parallel && <Stat label="Running both, per day" value={usd(cost.parallelRunCostPerDay)} />}
        {cost.breakEvenDays != null && <Stat label="Break-even" value={formatDuration(Math.round(cost.breakEvenDays * 86400))} />}
      </div>
      <p className="muted small">{cost.sentence}</p>
    </>
  );
}

function PowerStatus({ power, ended }: { power: PowerPanel; ended: boolean }) {
  const lowest = Math.min(power.samples.control, power.samples.treatment);
  const minutes = Math.round(power.rateWindowSeconds / 60);
  const completion =
    power.hoursToTarget === 0
      ? "reached"
      : ended
        ? "ended before"
        : power.estimatedCompletion
          ? formatUtc(power.estimatedCompletion)
          : power.rateWindowSeconds < 60
            ? "measuring the rate…"
            : "no traffic";
  return (
    <div className={styles.stats} data-testid="power-status">
      <Stat label="Planned per arm" value={count(power.targetPerArm)} />
      <Stat label="Smallest arm so far" value={count(lowest)} />
      <Stat label={`Per arm per hour (last ${minutes} min)`} value={count(Math.round(power.perArmPerHour))} />
      <Stat
        label={power.hoursToTarget != null && power.hoursToTarget > 0 && !ended ? `Estimated completion (in ${formatDuration(Math.round(power.hoursToTarget * 3600))})` : "Estimated completion"}
        value={completion}
        testId="estimated-completion"
      />
    </div>
  );
}
