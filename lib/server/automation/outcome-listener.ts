/**
 * The evaluator's ear for outcomes ingested on other instances: LISTENs on the channel the
 * ingestion service publishes touched rollout ids to (lib/server/services/metrics/outcome-notify.ts)
 * and hands them to the evaluator's throttled re-check, which acts only on the leader. One
 * connection per process, reconnecting on its own; on embedded PGlite, where one process is
 * both leader and ingester, the in-process signal alone carries the news.
 */
import "server-only";
import { startNotificationListener, type NotificationListener } from "../db/notification-listener";
import { OUTCOMES_CHANNEL, parseOutcomePayload } from "../services/metrics/outcome-notify";

export function startOutcomeListener(opts: {
  connectionString: string;
  onRolloutsTouched: (rolloutIds: readonly string[]) => void;
  /** Payloads from this origin are skipped (this process's own, already signalled in process). */
  ignoreOrigin?: string;
  log?: (message: string) => void;
}): NotificationListener {
  return startNotificationListener({
    connectionString: opts.connectionString,
    channels: [OUTCOMES_CHANNEL],
    name: "outcome listener",
    onNotification: (_channel, payload) => {
      const parsed = parseOutcomePayload(payload);
      if (parsed && parsed.origin !== opts.ignoreOrigin) opts.onRolloutsTouched(parsed.rolloutIds);
    },
    log: opts.log,
  });
}
