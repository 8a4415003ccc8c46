import { formatMetricValue, formatPValue, type GateMetric } from "@/lib/domain/gates";
import type { CurrentGate, GateResultPoint } from "@/lib/client/hooks/gates";
import { Badge } from "../ui/badge";
import { Table, Td, Th } from "../ui/table";
import { cx } from "../ui/cx";
import styles from "./gates.module.css";
import { VerdictBadge } from "./verdict-badge";

/** The current stage's gates: rule, latest verdict with its numbers, and a strip of recent verdicts. */
export function GateTable({ gates, history }: { gates: CurrentGate[]; history: GateResultPoint[] }) {
  return (
    <Table data-testid="gate-table" label="Gates">
      <thead>
        <tr>
          <Th>Gate</Th>
          <Th>Verdict</Th>
          <Th>Treatment</Th>
          <Th>Control</Th>
          <Th>p-value</Th>
          <Th>Recent</Th>
        </tr>
      </thead>
      <tbody>
        {gates.map((g) => {
          const metric = g.metric as GateMetric;
          const latest = g.latest;
          const strip = history.filter((h) => h.gateName === g.name).slice(-30);
          return (
            <tr key={g.name} data-gate={g.name}>
              <Td>
                <div className="cell-stack">
                  <span className="cell-strong">
                    {g.name} {g.critical && <Badge tone="danger">critical</Badge>}
                  </span>
                  <span className={styles.rule}>{g.rule.replace(/^'[^']*': /, "")}</span>
                  {latest?.sentence && <span className={styles.sentence}>{latest.sentence}</span>}
                </div>
              </Td>
              <Td>
                <VerdictBadge verdict={latest?.verdict ?? null} critical={g.critical} />
              </Td>
              <Td className="mono nowrap">{latest ? formatMetricValue(metric, latest.value) : "—"}</Td>
              <Td className="mono nowrap">{latest ? formatMetricValue(metric, latest.controlValue) : "—"}</Td>
              <Td className="mono nowrap">{latest?.pValue != null ? formatPValue(latest.pValue).replace(/^p /, "") : "—"}</Td>
              <Td>
                <div
                  className={styles.strip}
                  role="img"
                  aria-label={`Last ${strip.length} verdicts: ${(["pass", "fail", "inconclusive"] as const).map((v) => `${strip.filter((h) => h.verdict === v).length} ${v}`).join(", ")}`}
                >
                  {strip.map((h, i) => (
                    <span key={i} className={cx(styles.cell, styles[h.verdict])} title={`${new Date(h.evaluatedAt).toLocaleTimeString()}: ${h.verdict} — ${h.sentence}`} />
                  ))}
                </div>
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
