"use client";
import { useMemo, useState } from "react";
import { Area, CartesianGrid, ComposedChart, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDifference, formatValue } from "@/lib/domain/metrics/catalog";
import { differenceAxisDomain, rateAxisDomain, withoutPartialPoint } from "@/lib/domain/metrics/series";
import type { AnalysisMetric, AnalysisSeries, ArmPoint } from "@/lib/schemas/analysis";
import styles from "./analysis.module.css";
import { formatUtc, utcTick } from "./utc";

export const ARM_COLORS = { control: "#6366f1", treatment: "#f59e0b" } as const;

type PointKey = keyof ArmPoint;

interface ChartOption {
  label: string;
  key: PointKey;
  /** How values read on the axis and in the tooltip. */
  format: AnalysisMetric | "count";
  /** A fraction: the axis stays within 0–100%. */
  rate?: boolean;
}

interface ChartSpec {
  id: string;
  title: string;
  options: ChartOption[];
}

const CHARTS: ChartSpec[] = [
  { id: "success", title: "Success rate", options: [{ label: "success", key: "successRate", format: "success_rate", rate: true }] },
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
  { id: "thumbs", title: "Thumbs-up rate", options: [{ label: "thumbs-up", key: "thumbsUpRate", format: "thumbs_up_rate", rate: true }] },
  { id: "quality", title: "Quality score", options: [{ label: "quality", key: "qualityScore", format: "quality_score" }] },
  { id: "traffic", title: "Traffic per arm", options: [{ label: "requests", key: "count", format: "count" }] },
];

/** Where the rollout ended, drawn on every chart. */
export interface ChartMarker {
  at: string;
  label: string;
}

interface ChartContext {
  series: AnalysisSeries;
  /** The window's bounds (epoch ms): every chart shares this x range. */
  domain: [number, number];
  marker: ChartMarker | null;
}

function formatter(format: ChartOption["format"]) {
  if (format === "count") return (v: number) => Math.round(v).toLocaleString("en-US");
  return (v: number) => formatValue(format, v);
}

/** Stage starts (S1, S2…) and the terminal marker, shared by every chart. */
function markers({ series, marker }: ChartContext) {
  return [
    ...series.stageBoundaries.map((b) => (
      <ReferenceLine
        key={`s${b.stageIndex}`}
        x={new Date(b.at).getTime()}
        stroke="#98a2b3"
        strokeDasharray="3 3"
        ifOverflow="extendDomain"
        label={{ value: `S${b.stageIndex + 1}`, position: "insideTopLeft", fontSize: 10, fill: "#667085" }}
      />
    )),
    ...(marker
      ? [
          <ReferenceLine
            key="end"
            x={new Date(marker.at).getTime()}
            stroke="#b42318"
            strokeWidth={2}
            ifOverflow="extendDomain"
            className="chart-end-marker"
            label={{ value: marker.label, position: "insideTopRight", fontSize: 10, fill: "#b42318" }}
          />,
        ]
      : []),
  ];
}

function xAxis(ctx: ChartContext) {
  return <XAxis dataKey="t" type="number" scale="time" domain={ctx.domain} tickFormatter={utcTick(ctx.series.stepSeconds)} fontSize={11} minTickGap={24} />;
}

function ComparisonChart({ spec, ctx, points }: { spec: ChartSpec; ctx: ChartContext; points: AnalysisSeries["points"] }) {
  const [optionIndex, setOptionIndex] = useState(spec.id === "latency" ? 1 : 0);
  const option = spec.options[optionIndex];
  const fmt = formatter(option.format);
  const data = useMemo(
    () =>
      points.map((p) => ({
        t: new Date(p.t).getTime(),
        control: p.control[option.key],
        treatment: p.treatment[option.key],
      })),
    [points, option.key],
  );
  const hasData = data.some((d) => d.control != null || d.treatment != null);
  const yDomain = option.rate ? rateAxisDomain(data.flatMap((d) => [d.control, d.treatment])) : (["auto", "auto"] as const);
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
            <LineChart data={data} margin={{ top: 14, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#eaecf0" vertical={false} />
              {xAxis(ctx)}
              <YAxis tickFormatter={fmt} width={68} fontSize={11} domain={yDomain} allowDataOverflow={option.rate === true} />
              <Tooltip labelFormatter={(t) => formatUtc(Number(t))} formatter={(value, name) => [typeof value === "number" ? fmt(value) : "n/a", String(name)]} />
              {markers(ctx)}
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

/** Cumulative success-rate difference with its always-valid band, zero marked. */
function DifferenceChart({ ctx }: { ctx: ChartContext }) {
  const data = useMemo(() => ctx.series.difference.map((d) => ({ t: new Date(d.t).getTime(), estimate: d.estimate, band: [d.low, d.high] as [number, number] })), [ctx.series.difference]);
  const fmt = (v: number) => formatDifference("success_rate", v);
  return (
    <div className={`${styles.chartCard} ${styles.chartWide}`} data-testid="chart-difference">
      <div className={styles.chartHead}>
        <span className={styles.chartTitle}>Success rate, treatment − control (cumulative, always-valid 95% band)</span>
      </div>
      {data.length > 0 ? (
        <div className={styles.chartBody}>
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={data} margin={{ top: 14, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#eaecf0" vertical={false} />
              {xAxis(ctx)}
              <YAxis tickFormatter={fmt} width={68} fontSize={11} domain={differenceAxisDomain(ctx.series.difference)} allowDataOverflow />
              <Tooltip
                labelFormatter={(t) => formatUtc(Number(t))}
                formatter={(value, name) => [Array.isArray(value) ? `${fmt(Number(value[0]))} … ${fmt(Number(value[1]))}` : typeof value === "number" ? fmt(value) : "n/a", String(name)]}
              />
              <ReferenceLine y={0} stroke="#344054" />
              {markers(ctx)}
              <Area name="95% band" dataKey="band" stroke="none" fill={ARM_COLORS.treatment} fillOpacity={0.2} isAnimationActive={false} />
              <Line name="difference" dataKey="estimate" stroke={ARM_COLORS.treatment} dot={false} strokeWidth={2} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <div className={styles.chartEmpty}>The difference appears once both arms have reported outcomes.</div>
      )}
    </div>
  );
}

/**
 * Control vs treatment over time, one small chart per metric, plus the cumulative difference
 * with its always-valid band. Times are UTC; stage starts are marked S1, S2…, the end of the
 * rollout (rollback, abort, completion) in red; a live window leaves out the minute still
 * filling up, whose few seconds of traffic would read as a drop.
 */
export function ComparisonCharts({ series, window, live, marker }: { series: AnalysisSeries; window: { from: string; to: string }; live: boolean; marker: ChartMarker | null }) {
  const ctx: ChartContext = { series, domain: [Date.parse(window.from), Date.parse(window.to)], marker };
  const points = useMemo(() => withoutPartialPoint(series.points, series.stepSeconds, Date.parse(window.to), live), [series.points, series.stepSeconds, window.to, live]);
  return (
    <div className={styles.charts} data-testid="comparison-charts">
      <DifferenceChart ctx={ctx} />
      {CHARTS.map((spec) => (
        <ComparisonChart key={spec.id} spec={spec} ctx={ctx} points={points} />
      ))}
    </div>
  );
}
