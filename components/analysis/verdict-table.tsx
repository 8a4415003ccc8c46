"use client";
import { Fragment, useState } from "react";
import { formatDifference, formatPValue, formatValue } from "@/lib/domain/metrics/catalog";
import type { AnalysisResponse, MetricAnalysis } from "@/lib/schemas/analysis";
import { Table, Td, Th } from "../ui/table";
import styles from "./analysis.module.css";
import { IntervalBar } from "./interval-bar";
import { VerdictBadge } from "./verdict-badge";

const TEST_NAMES: Record<MetricAnalysis["test"], string> = {
  two_proportion_z: "two-proportion z-test",
  welch_t: "Welch's t-test",
  percentile_interval: "percentile intervals (order statistics)",
  mcnemar: "McNemar's test on shadow pairs",
  wilcoxon_signed_rank: "Wilcoxon signed-rank on shadow pairs",
};

export const BASIS_LABEL: Record<MetricAnalysis["basis"], string> = {
  sequential: "always-valid",
  fixed_horizon: "fixed horizon",
};

const count = (n: number) => n.toLocaleString("en-US");

function pText(p: number | null): string {
  return p == null ? "—" : formatPValue(p).replace(/^p [=<] ?/, (m) => (m.startsWith("p <") ? "< " : ""));
}

const keep = (text: string) => text.replace(/ /g, "\u00a0");

/** "−14.5 pts … −3.5 pts", breakable only after the ellipsis. */
function interval(m: MetricAnalysis, i: { low: number; high: number } | null): string {
  if (!i) return "—";
  return `${keep(formatDifference(m.metric, i.low))}\u00a0… ${keep(formatDifference(m.metric, i.high))}`;
}

const percent = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0)}%`;

function Row({ m, open, onToggle }: { m: MetricAnalysis; open: boolean; onToggle: () => void }) {
  const arm = (a: MetricAnalysis["control"]) => (
    <>
      {formatValue(m.metric, a.estimate)}
      <span className={styles.sub}>n = {count(a.n)}</span>
    </>
  );
  const lift = m.relativeLiftInterval;
  const detailsId = `verdict-details-${m.metric}`;
  return (
    <Fragment>
      <tr data-testid="verdict-row" data-metric={m.metric} data-verdict={m.verdict} data-basis={m.basis}>
        <Td className={styles.metricCell}>
          {m.label.charAt(0).toUpperCase() + m.label.slice(1)}
          {m.gateMetric && (
            <span className={styles.sub} title="Gate metric: its p-value is Holm-corrected together with the stage's other gate metrics">
              gate metric
            </span>
          )}
        </Td>
        <Td className={styles.num}>{arm(m.control)}</Td>
        <Td className={styles.num}>{arm(m.treatment)}</Td>
        <Td className={styles.num} data-testid="verdict-difference">
          {m.difference ? formatDifference(m.metric, m.difference.estimate) : "—"}
          <span className={`${styles.sub} ${styles.wrap}`}>{interval(m, m.basisInterval)}</span>
        </Td>
        <Td className={styles.num} data-testid="verdict-lift">
          {lift ? percent(lift.estimate) : "—"}
          <span className={`${styles.sub} ${styles.wrap}`}>{lift ? `${percent(lift.low)}\u00a0… ${percent(lift.high)}` : ""}</span>
        </Td>
        <Td className={styles.barCell}>
          <IntervalBar metric={m.metric} estimate={m.difference?.estimate ?? null} interval={m.basisInterval} verdict={m.verdict} />
        </Td>
        <Td className={styles.num} data-testid="verdict-p">
          {pText(m.basisPValue)}
          <span className={styles.sub}>{m.pValueAdjusted != null ? `Holm ${pText(m.pValueAdjusted)}` : BASIS_LABEL[m.basis]}</span>
        </Td>
        <Td className={styles.verdictCell}>
          <VerdictBadge verdict={m.verdict} />
          <button type="button" className={styles.detailsToggle} aria-expanded={open} aria-controls={detailsId} onClick={onToggle} data-testid="verdict-details-toggle">
            {open ? "Hide" : "Details"}
          </button>
        </Td>
      </tr>
      {open && (
        <tr id={detailsId} className={styles.detailsRow} data-testid="verdict-details" data-metric={m.metric}>
          <td colSpan={8}>
            <p className={styles.sentence} data-testid="verdict-sentence">
              {m.sentence}
            </p>
            <dl className={styles.detailsGrid}>
              <dt>Basis</dt>
              <dd>
                {m.basis === "sequential"
                  ? "Always-valid (sequential) interval and p-value: safe to look at any time while the rollout is monitored."
                  : "Fixed-horizon interval and p-value: the A/B test reached its planned sample."}
              </dd>
              {m.pValueAdjusted != null && (
                <>
                  <dt>Holm adjustment</dt>
                  <dd>
                    p {pText(m.basisPValue)} → {pText(m.pValueAdjusted)} across the stage&apos;s {m.holmFamilySize} gate metrics; the verdict uses the adjusted value.
                  </dd>
                </>
              )}
              <dt>Test</dt>
              <dd>{TEST_NAMES[m.test]}</dd>
              <dt>95% CI, fixed horizon</dt>
              <dd>
                {interval(m, m.difference)} (p {pText(m.pValue)})
              </dd>
              <dt>95% CI, always valid</dt>
              <dd>
                {interval(m, m.sequentialInterval)} (p {pText(m.pValueSequential)})
              </dd>
              <dt>Control interval</dt>
              <dd>
                {formatValue(m.metric, m.control.low)} … {formatValue(m.metric, m.control.high)}
              </dd>
              <dt>Treatment interval</dt>
              <dd>
                {formatValue(m.metric, m.treatment.low)} … {formatValue(m.metric, m.treatment.high)}
              </dd>
              {m.rankTest && (
                <>
                  <dt>Mann–Whitney U</dt>
                  <dd>
                    z = {m.rankTest.z.toFixed(2)}, p {pText(m.rankTest.pValue)}
                  </dd>
                </>
              )}
              <dt>Samples still needed</dt>
              <dd>{m.samplesNeeded > 0 ? `${count(m.samplesNeeded)} per arm` : "reached"}</dd>
              {m.samplesNeededToDetect != null && m.samplesNeededToDetect > 0 && (
                <>
                  <dt>To detect this difference</dt>
                  <dd>≈ {count(m.samplesNeededToDetect)} more per arm (80% power)</dd>
                </>
              )}
            </dl>
          </td>
        </tr>
      )}
    </Fragment>
  );
}

/**
 * Metric, both arms, the difference and relative lift with their intervals, an interval bar
 * around zero, the p-value and the verdict. Interval, p-value and lift share one basis per row
 * (always-valid while monitored, fixed-horizon once an A/B test has its planned sample); the
 * sentence and the other basis's numbers are in the row's details.
 */
export function VerdictTable({ analysis }: { analysis: AnalysisResponse }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (metric: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(metric)) next.delete(metric);
      else next.add(metric);
      return next;
    });
  const basis = BASIS_LABEL[analysis.verdictBasis];
  return (
    <Table className={styles.verdictTable} data-testid="verdict-table" label="Metric verdicts">
      <thead>
        <tr>
          <Th>Metric</Th>
          <Th className={styles.num}>Control</Th>
          <Th className={styles.num}>Treatment</Th>
          <Th className={styles.num} title={`Treatment − control with its 95% ${basis} interval`}>
            Difference
            <span className={`${styles.sub} ${styles.wrap}`}>95% CI, {basis}</span>
          </Th>
          <Th className={styles.num} title={`(treatment − control) / control with its 95% ${basis} interval`}>
            Lift
            <span className={styles.sub}>95% CI</span>
          </Th>
          <Th className={styles.barHead}>
            Interval
            <span className={`${styles.sub} ${styles.wrap}`}>0 marked</span>
          </Th>
          <Th className={styles.num} title="The p-value of the same basis as the interval; gate metrics also show their Holm-adjusted p-value, which the verdict uses">
            p-value
            <span className={styles.sub}>{basis}</span>
          </Th>
          <Th>Verdict</Th>
        </tr>
      </thead>
      <tbody>
        {analysis.metrics.map((m) => (
          <Row key={m.metric} m={m} open={open.has(m.metric)} onToggle={() => toggle(m.metric)} />
        ))}
      </tbody>
    </Table>
  );
}
