import { formatDifference } from "@/lib/domain/metrics/catalog";
import type { AnalysisMetric, Verdict } from "@/lib/schemas/analysis";
import styles from "./analysis.module.css";

const WIDTH = 88;
const HEIGHT = 18;
const MID = WIDTH / 2;

const TONE: Record<Verdict, string> = {
  better: "var(--success)",
  worse: "var(--danger)",
  no_difference: "#667085",
  insufficient_data: "#98a2b3",
};

/**
 * Treatment − control as a bar: the row's interval around its estimate, zero marked in the
 * middle, scaled per row so zero lines up down the table. A bar clear of the zero line is a
 * difference the row's basis can tell apart from none.
 */
export function IntervalBar({ metric, estimate, interval, verdict }: { metric: AnalysisMetric; estimate: number | null; interval: { low: number; high: number } | null; verdict: Verdict }) {
  if (estimate == null || !interval) return <span className="muted small">—</span>;
  const reach = Math.max(Math.abs(interval.low), Math.abs(interval.high), Math.abs(estimate)) * 1.1 || 1;
  const x = (v: number) => MID + (v / reach) * (MID - 4);
  const color = TONE[verdict];
  const label = `Difference ${formatDifference(metric, estimate)}, 95% interval ${formatDifference(metric, interval.low)} to ${formatDifference(metric, interval.high)}; the line marks 0`;
  return (
    <svg className={styles.intervalBar} width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} data-testid="interval-bar">
      <title>{label}</title>
      <line x1={4} x2={WIDTH - 4} y1={HEIGHT / 2} y2={HEIGHT / 2} stroke="#eaecf0" strokeWidth={1} />
      <rect x={x(interval.low)} y={HEIGHT / 2 - 3} width={Math.max(1.5, x(interval.high) - x(interval.low))} height={6} rx={3} fill={color} opacity={0.35} />
      <line x1={MID} x2={MID} y1={1} y2={HEIGHT - 1} stroke="#344054" strokeWidth={1} data-zero />
      <circle cx={x(estimate)} cy={HEIGHT / 2} r={3.5} fill={color} />
    </svg>
  );
}
