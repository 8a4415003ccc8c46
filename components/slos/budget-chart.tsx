"use client";
import { Area, AreaChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SloDetail } from "@/lib/client/hooks/slos";
import styles from "./slos.module.css";

/** How far below 0 the chart draws: an overspent budget is drawn at this floor (the tooltip has the real value). */
const FLOOR = -100;

/** The rolling error budget remaining across the SLO's window; below 0 it is overspent. */
export function BudgetChart({ chart }: { chart: SloDetail["budgetChart"] }) {
  const data = chart.points.map((p) => {
    const actual = Number((p.remainingFraction * 100).toFixed(2));
    return { t: new Date(p.at).getTime(), remaining: Math.max(FLOOR, actual), actual };
  });
  const min = Math.min(0, ...data.map((d) => d.remaining));
  return (
    <div className={styles.chart} data-testid="budget-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#eaecf0" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(t: number) => new Date(t).toLocaleDateString([], { month: "short", day: "numeric" })}
            fontSize={11}
          />
          <YAxis
            domain={[Math.floor(min / 50) * 50, 100]}
            ticks={min < 0 ? [min <= FLOOR ? FLOOR : Math.floor(min / 50) * 50, 0, 50, 100] : [0, 25, 50, 75, 100]}
            tickFormatter={(v: number) => `${v}%`}
            width={56}
            fontSize={11}
          />
          <Tooltip
            labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
            formatter={(_v, _n, item) => [`${Number((item.payload as { actual: number }).actual).toFixed(1)}%`, "budget remaining"]}
          />
          <ReferenceLine y={0} stroke="#f04438" strokeDasharray="4 4" label={{ value: "exhausted", fontSize: 10, position: "insideBottomRight" }} />
          <Area type="stepAfter" dataKey="remaining" stroke="#12b76a" fill="#ecfdf3" strokeWidth={2} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
