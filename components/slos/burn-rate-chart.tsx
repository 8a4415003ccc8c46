"use client";
import { Area, AreaChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SloDetail } from "@/lib/client/hooks/slos";
import styles from "./slos.module.css";

/** The 1-hour burn rate over the last 24 hours, with the page (14.4×, 6×) and ticket (3×, 1×) thresholds. */
export function BurnRateChart({ chart }: { chart: SloDetail["burnChart"] }) {
  const data = chart.points.map((p) => ({ t: new Date(p.at).getTime(), burn: p.burnRate, total: p.total }));
  const max = Math.max(1.5, ...data.map((d) => d.burn));
  return (
    <div className={styles.chart} data-testid="burn-rate-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#eaecf0" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })} fontSize={11} />
          <YAxis domain={[0, Math.ceil(max * 1.1)]} tickFormatter={(v: number) => `${v}×`} width={44} fontSize={11} />
          <Tooltip labelFormatter={(t) => new Date(Number(t)).toLocaleString()} formatter={(v) => [`${Number(v).toFixed(2)}×`, "burn rate (1 h)"]} />
          {[14.4, 6, 3, 1].filter((x) => x <= max * 1.1).map((x) => (
            <ReferenceLine key={x} y={x} stroke={x >= 6 ? "#f04438" : "#f79009"} strokeDasharray="4 4" label={{ value: `${x}×`, fontSize: 10, position: "insideTopRight" }} />
          ))}
          <Area type="monotone" dataKey="burn" stroke="#6366f1" fill="#eef2ff" strokeWidth={2} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
