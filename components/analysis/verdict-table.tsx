"use client";
import { formatDifference, formatPValue, formatValue } from "@/lib/domain/metrics/catalog";
import type { AnalysisResponse, MetricAnalysis } from "@/lib/schemas/analysis";
import { Table, Td, Th } from "../ui/table";
import styles from "./analysis.module.css";
import { VerdictBadge } from "./verdict-badge";

const TEST_NAMES: Record<MetricAnalysis["test"], string> = {
  two_proportion_z: "two-proportion z-test",
  welch_t: "Welch's t-test",
  percentile_interval: "percentile intervals (order statistics)",
  mcnemar: "McNemar's test on shadow pairs",
  wilcoxon_signed_rank: "Wilcoxon signed-rank on shadow pairs",
};

const count = (n: number) => n.toLocaleString("en-US");

function pText(p: number | null): string {
  return p == null ? "—" : formatPValue(p).replace(/^p [=<] ?/, (m) => (m.startsWith("p <") ? "< " : ""));
}

function interval(m: MetricAnalysis, i: { low: number; high: number } | null): string {
  if (!i) return "—";
  return `${formatDifference(m.metric, i.low)} … ${formatDifference(m.metric, i.high)}`;
}

function Row({ m, basis }: { m: MetricAnalysis; basis: AnalysisResponse["verdictBasis"] }) {
  const arm = (a: MetricAnalysis["control"]) => (
    <>
      {formatValue(m.metric, a.estimate)}
      <span className={styles.sub}>n = {count(a.n)}</span>
    </>
  );
  return (
    <tr data-testid="verdict-row" data-metric={m.metric} data-verdict={m.verdict}>
      <Td>
        <span className="nowrap">{m.label.charAt(0).toUpperCase() + m.label.slice(1)}</span>
        {m.gateMetric && (
          <span className={styles.gateMark} title="Gate metric: its p-value is Holm-corrected together with the other gate metrics">
            gate
          </span>
        )}
      </Td>
      <Td className={styles.num}>{arm(m.control)}</Td>
      <Td className={styles.num}>{arm(m.treatment)}</Td>
      <Td className={styles.num}>
        {m.difference ? formatDifference(m.metric, m.difference.estimate) : "—"}
        <span className={styles.sub}>{interval(m, m.difference)}</span>
      </Td>
      <Td className={styles.num} title={basis === "sequential" ? "Always-valid (sequential) p-value, safe to watch continuously" : "Fixed-horizon p-value"}>
        {pText(m.pValueUsed)}
      </Td>
      <Td className={styles.verdictCell}>
        <VerdictBadge verdict={m.verdict} />
        <span className={styles.sentence} data-testid="verdict-sentence">
          {m.sentence}
        </span>
        <details className={styles.details}>
          <summary>Numbers</summary>
          <dl>
            <dt>Test</dt>
            <dd>{TEST_NAMES[m.test]}</dd>
            <dt>p (fixed horizon)</dt>
            <dd>{pText(m.pValue)}</dd>
            <dt>p (always valid)</dt>
            <dd>{pText(m.pValueSequential)}</dd>
            {m.pValueAdjusted != null && (
              <>
                <dt>p (Holm-adjusted)</dt>
                <dd>{pText(m.pValueAdjusted)}</dd>
              </>
            )}
            <dt>95% CI, fixed</dt>
            <dd>{interval(m, m.difference)}</dd>
            <dt>95% CI, always valid</dt>
            <dd>{interval(m, m.sequentialInterval)}</dd>
            <dt>Relative lift</dt>
            <dd>{m.relativeLift == null ? "—" : `${m.relativeLift >= 0 ? "+" : ""}${(m.relativeLift * 100).toFixed(1)}%`}</dd>
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
        </details>
      </Td>
    </tr>
  );
}

/** Metric, control, treatment, difference with its interval, p-value and verdict; the numbers one click away. */
export function VerdictTable({ analysis }: { analysis: AnalysisResponse }) {
  return (
    <Table data-testid="verdict-table">
      <thead>
        <tr>
          <Th>Metric</Th>
          <Th className={styles.num}>Control</Th>
          <Th className={styles.num}>Treatment</Th>
          <Th className={styles.num}>Difference (95% CI)</Th>
          <Th className={styles.num}>p-value</Th>
          <Th>Verdict</Th>
        </tr>
      </thead>
      <tbody>
        {analysis.metrics.map((m) => (
          <Row key={m.metric} m={m} basis={analysis.verdictBasis} />
        ))}
      </tbody>
    </Table>
  );
}
