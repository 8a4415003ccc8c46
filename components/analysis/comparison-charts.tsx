"use client";
import { useMemo, useState } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatValue } from "@/lib/domain/metrics/catalog";
import type { AnalysisMetric, AnalysisSeries, ArmPoint } from "@/lib/schemas/analysis";
import styles from "./analysis.module.css";

export const ARM_COLORS = { control: "#6366f1", treatment: "#f59e0b" } as const;

type PointKey = keyof ArmPoint;

interface ChartOption {
  label: string;
  key: PointKey;
  /** How values read on the axis and in the tooltip. */
  format: AnalysisMetric | "count";
}

interface ChartSpec {
  id: string;
  title: string;
  options: ChartOption[];
}

const CHARTS: ChartSpec[] = [
  { id: "success", title: "Success rate", options: [{ label: "success", key: "successRate", format: "success_rate" }] },
  {
    id: "latency",
    title: "Latency",
    options: [
      { label: "p50", key: "latencyP50", format: "latency_p50" },
      { label: "p95", key: "latencyP95", format: "latency_p95" },
      { label: "p99", key: "latencyP99", format: "latency_p99" },
    ],
  },
  { id: "cost", title: "Cost per request", options: [{ label: "cost", key: "costPerRequest", format: "cost_per_request" }] },
  {
    id: "tokens",
    title: "Tokens per request",
    options: [
      { label: "in", key: "inputTokens", format: "input_tokens" },
      { label: "out", key: "outputTokens", format: "output_tokens" },
    ],
  },
  { id: "thumbs", title: "Thumbs-up rate", options: [{ label: "thumbs-up", key: "thumbsUpRate", format: "thumbs_up_rate" }] },
  { id: "quality", title: "Quality score", options: [{ label: "quality", key: "qualityScore", format: "quality_score" }] },
  { id: "traffic", title: "Traffic per arm", options: [{ label: "requests", key: "count", format: "count" }] },
];

function formatter(format: ChartOption["format"]) {
  if (format === "count") return (v: number) => Math.round(v).toLocaleString();
  return (v: number) => formatValue(format, v);
}

function tickTime(stepSeconds: number) {
  return (t: number) => {
    const d = new Date(t);
    return stepSeconds >= 6 * 3600
      ? d.toLocaleDateString([], { month: "short", day: "numeric" })
      : stepSeconds >= 3600
        ? d.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit" })
        : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  };
}

function ComparisonChart({ spec, series }: { spec: ChartSpec; series: AnalysisSeries }) {
  const [optionIndex, setOptionIndex] = useState(spec.id === "latency" ? 1 : 0);
  const option = spec.options[optionIndex];
  const fmt = formatter(option.format);
  const data = useMemo(
    () =>
      series.points.map((p) => ({
        t: new Date(p.t).getTime(),
        control: p.control[option.key],
        treatment: p.treatment[option.key],
      })),
    [series.points, option.key],
  );
  const hasData = data.some((d) => d.control != null || d.treatment != null);
  const tick = tickTime(series.stepSeconds);
  return (
    <div className={styles.chartCard} data-testid={`chart-${spec.id}`}>
      <div className={styles.chartHead}>
        <span className={styles.chartTitle}>{spec.title}</span>
        {spec.options.length > 1 && (
          <span className={styles.segmented} role="group" aria-label={`${spec.title}: which series`}>
            {spec.options.map((o, i) => (
              <button key={o.key} type="button" aria-pressed={i === optionIndex} onClick={() => setOptionIndex(i)}>
                {o.label}
              </button>
            ))}
          </span>
        )}
      </div>
      {hasData ? (
        <div className={styles.chartBody}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#eaecf0" vertical={false} />
              <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tick} fontSize={11} minTickGap={24} />
              <YAxis tickFormatter={fmt} width={68} fontSize={11} domain={["auto", "auto"]} />
              <Tooltip
                labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
                formatter={(value, name) => [typeof value === "number" ? fmt(value) : "n/a", String(name)]}
              />
              {series.stageBoundaries.map((b) => (
                <ReferenceLine
                  key={b.stageIndex}
                  x={new Date(b.at).getTime()}
                  stroke="#98a2b3"
                  strokeDasharray="3 3"
                  label={{ value: `S${b.stageIndex + 1}`, position: "insideTopLeft", fontSize: 10, fill: "#667085" }}
                />
              ))}
              <Line name="control" dataKey="control" stroke={ARM_COLORS.control} dot={false} strokeWidth={2} connectNulls={spec.id !== "traffic"} isAnimationActive={false} />
              <Line name="treatment" dataKey="treatment" stroke={ARM_COLORS.treatment} dot={false} strokeWidth={2} connectNulls={spec.id !== "traffic"} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <div className={styles.chartEmpty}>No {spec.title.toLowerCase()} reported in this window.</div>
      )}
    </div>
  );
}

/** Control vs treatment over time, one small chart per metric, stage starts marked S1, S2… */
export function ComparisonCharts({ series }: { series: AnalysisSeries }) {
  return (
    <div className={styles.charts} data-testid="comparison-charts">
      {CHARTS.map((spec) => (
        <ComparisonChart key={spec.id} spec={spec} series={series} />
      ))}
    </div>
  );
}
