"use client";
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMetricValue, type GateMetric } from "@/lib/domain/gates";
import type { GateResultPoint } from "@/lib/client/hooks/gates";
import styles from "./gates.module.css";

const VERDICT_COLOR = { pass: "#12b76a", fail: "#f04438", inconclusive: "#98a2b3" } as const;

/**
 * One gate's history: the treatment's value (dots coloured by verdict), the control's value, and
 * the limit it was held to, over evaluation time.
 */
export function GateHistoryChart({ points, metric }: { points: GateResultPoint[]; metric: GateMetric }) {
  const data = useMemo(
    () =>
      points.map((p) => ({
        t: new Date(p.evaluatedAt).getTime(),
        treatment: p.value,
        control: p.controlValue,
        limit: p.limit,
        verdict: p.verdict,
        sentence: p.sentence,
      })),
    [points],
  );
  const limit = [...points].reverse().find((p) => p.limit != null)?.limit ?? null;
  const fmt = (v: number) => formatMetricValue(metric, v);
  const hasControl = data.some((d) => d.control != null);
  return (
    <div className={styles.chart} data-testid="gate-history-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="#eaecf0" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
            fontSize={11}
          />
          <YAxis tickFormatter={fmt} width={72} fontSize={11} domain={["auto", "auto"]} />
          <Tooltip labelFormatter={(t) => new Date(Number(t)).toLocaleString()} formatter={(value, name) => [typeof value === "number" ? fmt(value) : "n/a", String(name)]} />
          <Legend />
          {limit != null && <ReferenceLine y={limit} stroke="#f79009" strokeDasharray="4 4" label={{ value: "limit", fontSize: 11, fill: "#b54708", position: "insideTopRight" }} />}
          {hasControl && <Line name="control" dataKey="control" stroke="#6366f1" dot={false} strokeWidth={2} connectNulls isAnimationActive={false} />}
          <Line
            name="treatment"
            dataKey="treatment"
            stroke="#f59e0b"
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
            dot={(props: { cx?: number; cy?: number; index?: number; payload?: { verdict: keyof typeof VERDICT_COLOR } }) => (
              <circle key={props.index} cx={props.cx} cy={props.cy} r={3.5} fill={VERDICT_COLOR[props.payload?.verdict ?? "inconclusive"]} stroke="none" />
            )}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
