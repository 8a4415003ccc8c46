import type { RolloutDetail } from "@/lib/client/hooks/rollouts";
import { formatDateTime } from "@/lib/client/format";
import { Badge } from "../ui/badge";
import { STATE_LABELS } from "./labels";
import styles from "./rollouts.module.css";
import type { RolloutState } from "@/lib/domain/rollouts";

/** Every transition, newest first: what happened, who did it (or "automatic"), when and why. */
export function HistoryList({ rollout }: { rollout: RolloutDetail }) {
  const items = [...rollout.history].reverse();
  return (
    <ol className={styles.history} data-testid="history">
      {items.map((h) => (
        <li key={h.id} className={styles.historyItem} data-testid="history-item" data-command={h.command}>
          <div className={styles.historyHead}>
            <strong>{h.summary}</strong>
            <span className="muted nowrap">{formatDateTime(h.createdAt)}</span>
          </div>
          <div className="muted">
            {h.actor.type === "system" ? <Badge tone="accent">automatic</Badge> : h.actor.label} · <code>{h.command}</code>
            {h.fromState !== h.toState && (
              <>
                {" "}
                · {STATE_LABELS[h.fromState as RolloutState]} → {STATE_LABELS[h.toState as RolloutState]}
              </>
            )}
          </div>
          {h.comment && <p className={styles.comment}>{h.comment}</p>}
        </li>
      ))}
    </ol>
  );
}
