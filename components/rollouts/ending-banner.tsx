import type { RolloutEnding } from "@/lib/domain/rollouts/ending";
import { formatUtc } from "../analysis/utc";
import styles from "./rollouts.module.css";

const ALERT: Record<RolloutEnding["tone"], string> = { danger: "alert-danger", warning: styles.endingWarning, success: "alert-success" };

/**
 * The headline of an ended rollout: how it ended and the decisive reason (the critical gate and
 * its numbers when the evaluator acted, or who acted and why), before anything else on the page.
 */
export function EndingBanner({ ending }: { ending: RolloutEnding }) {
  return (
    <div
      className={`alert ${ALERT[ending.tone]} ${styles.ending}`}
      role={ending.tone === "danger" ? "alert" : "status"}
      data-testid="rollout-ending"
      data-state={ending.state}
      style={{ flexDirection: "column", justifyContent: "flex-start" }}
    >
      <strong data-testid="rollout-ending-title">
        {ending.title}
        {ending.at && <> · {formatUtc(ending.at)}</>}
      </strong>
      <span data-testid="rollout-ending-reason">{ending.reason}</span>
    </div>
  );
}
