import type { Slo } from "@/lib/client/hooks/slos";
import { cx } from "../ui/cx";
import { windowLabel } from "./labels";
import styles from "./slos.module.css";

/**
 * Each burn-rate alert as a chip: the short and long windows' burn rates against the alert's
 * threshold (an alert fires when both reach it). Red when it fires.
 */
export function BurnRates({ alerts }: { alerts: Slo["status"]["alerts"] }) {
  return (
    <div className={styles.burns} data-testid="burn-rates">
      {alerts.map((a) => (
        <span
          key={`${a.shortWindowMinutes}-${a.longWindowMinutes}`}
          className={cx(styles.burn, a.firing && styles.burnHot)}
          title={`${a.severity} alert: fires when the ${windowLabel(a.shortWindowMinutes)} and ${windowLabel(a.longWindowMinutes)} burn rates both reach ${a.threshold}×`}
          data-testid={`burn-${windowLabel(a.shortWindowMinutes)}-${windowLabel(a.longWindowMinutes)}`}
          data-firing={a.firing}
        >
          <span className={styles.burnWindow}>
            {windowLabel(a.shortWindowMinutes)} / {windowLabel(a.longWindowMinutes)}
          </span>
          <span className={styles.burnValue}>
            {fmt(a.shortBurn)} / {fmt(a.longBurn)}
          </span>
          <span className={styles.burnWindow}>vs {a.threshold}×</span>
        </span>
      ))}
    </div>
  );
}

function fmt(x: number): string {
  return `${x >= 100 ? Math.round(x) : Number(x.toFixed(1))}×`;
}
