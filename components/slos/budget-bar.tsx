import { cx } from "../ui/cx";
import styles from "./slos.module.css";

/** Remaining error budget as a bar: green, amber under 25%, red when exhausted. */
export function BudgetBar({ remaining, text }: { remaining: number; text: string }) {
  const pct = Math.max(0, Math.min(1, remaining));
  const label = remaining <= 0 ? (remaining < 0 ? `overspent by ${Math.round(-remaining * 100)}%` : "exhausted") : `${(remaining * 100).toFixed(1)}% left`;
  return (
    <div className={styles.budget}>
      <div className={styles.budgetTrack} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct * 100)} aria-label="Error budget remaining">
        <div className={cx(styles.budgetFill, remaining <= 0 && styles.budgetOut, remaining > 0 && remaining < 0.25 && styles.budgetLow)} style={{ width: `${pct * 100}%` }} />
      </div>
      <div className={styles.budgetNumbers}>
        <strong data-testid="budget-remaining">{label}</strong>
        <span className="muted">{text}</span>
      </div>
    </div>
  );
}
