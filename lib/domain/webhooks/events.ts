/**
 * The events a webhook can subscribe to. `webhook.test` is not subscribable: it is sent to one
 * webhook on demand ("send test event") whatever its subscriptions.
 */
export const WEBHOOK_EVENTS = ["rollout.transition", "rollout.approval_requested", "rollout.rolled_back", "flag.kill_switch", "slo.alert"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_TEST_EVENT = "webhook.test";
export type DeliverableEvent = WebhookEvent | typeof WEBHOOK_TEST_EVENT;

/** What each event means, for the settings screen. */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "rollout.transition": "Every rollout transition (start, promote, pause, resume, approve, reject, complete, abort)",
  "rollout.approval_requested": "A promotion waits for reviewer approval",
  "rollout.rolled_back": "A rollout was rolled back (by a person or automatically)",
  "flag.kill_switch": "A flag's kill switch was turned on or off",
  "slo.alert": "An SLO alert fired (when SLOs exist)",
};

/**
 * The events a rollout transition matches, most specific first. A webhook receives ONE delivery
 * per transition: the first of these it subscribes to, so a Slack channel subscribed to both
 * "rollout.transition" and "rollout.rolled_back" gets one message for a rollback, not two.
 */
export function rolloutTransitionEvents(toState: string, fromState: string): WebhookEvent[] {
  if (toState === "rolled_back") return ["rollout.rolled_back", "rollout.transition"];
  if (toState === "awaiting_approval" && fromState !== "awaiting_approval") {
    return ["rollout.approval_requested", "rollout.transition"];
  }
  return ["rollout.transition"];
}

/** The event a webhook subscribed to `subscribed` receives for `candidates`, or null for none. */
export function pickSubscribedEvent(candidates: readonly WebhookEvent[], subscribed: readonly string[]): WebhookEvent | null {
  return candidates.find((e) => subscribed.includes(e)) ?? null;
}
