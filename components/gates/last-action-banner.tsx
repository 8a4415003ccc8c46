import { cx } from "../ui/cx";
import styles from "./gates.module.css";

/** Tone of an automatic action from the verb its reason starts with. */
export function actionTone(reason: string): "danger" | "warning" | "success" | "neutral" {
  if (/^Rolled back/.test(reason)) return "danger";
  if (/^Paused/.test(reason)) return "warning";
  if (/^(Promoted|Completed|Approval requested)/.test(reason)) return "success";
  return "neutral";
}

/**
 * The reason of the evaluator's last action, in its own words ("Rolled back at 14:02 UTC:
 * treatment success rate 91.8% vs 98.9%, p < 0.001, critical gate 'success rate'").
 */
export function LastActionBanner({ reason }: { reason: string | null | undefined }) {
  if (!reason) return null;
  const tone = actionTone(reason);
  return (
    <div
      className={cx(styles.banner, tone === "danger" && styles.bannerDanger, tone === "warning" && styles.bannerWarning, tone === "success" && styles.bannerSuccess)}
      role={tone === "danger" ? "alert" : "status"}
      data-testid="last-automatic-action"
    >
      <span className={styles.bannerLabel}>Automatic action</span>
      <span>{reason}</span>
    </div>
  );
}
