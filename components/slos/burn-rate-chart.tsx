"use client";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SloDetail } from "@/lib/client/hooks/slos";
import { windowLabel } from "./labels";
import styles from "./slos.module.css";

/**
 * The fast page alert's burn rates over the last 24 hours: the long (1 h) and short (5 min)
 * windows, with its 14.4× threshold (the alert fires when both lines are above it) and 1×, the
 * rate that spends exactly the budget over the SLO window.
 */
export function BurnRateChart({ chart }: { chart: SloDetail["burnChart"] }) {
  const data = chart.points.map((p) => ({ t: new Date(p.at).getTime(), long: p.burnRate, short: p.shortBurnRate }));
  const max = Math.max(1.5, ...data.map((d) => Math.max(d.long, d.short)));
  const long = `burn rate (${windowLabel(chart.windowMinutes)})`;
  const short = `burn rate (${windowLabel(chart.shortWindowMinutes)})`;
  return (
    <div className={styles.chart} data-testid="burn-rate-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#eaecf0" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
            fontSize={11}
          />
          <YAxis domain={[0, Math.ceil(max * 1.1)]} tickFormatter={(v: number) => `${v}×`} width={44} fontSize={11} />
          <Tooltip labelFormatter={(t) => new Date(Number(t)).toLocaleString()} formatter={(v, name) => [`${Number(v).toFixed(2)}×`, name]} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine y={14.4} stroke="#f04438" strokeDasharray="4 4" label={{ value: "page 14.4×", fontSize: 10, position: "insideTopRight" }} />
          <ReferenceLine y={1} stroke="#f79009" strokeDasharray="4 4" label={{ value: "1× (budget pace)", fontSize: 10, position: "insideTopRight" }} />
          <Line type="monotone" dataKey="long" name={long} stroke="#6366f1" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="short" name={short} stroke="#f97316" strokeWidth={1.5} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
