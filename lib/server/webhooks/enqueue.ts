/**
 * Enqueueing webhook deliveries: rows in webhook_deliveries written in the CALLER's transaction,
 * so a notification exists exactly when the change it describes committed. The sender worker
 * (worker.ts) delivers them; nothing is sent from inside a transaction.
 */
import "server-only";
import { pickSubscribedEvent, webhookPayload, type DeliverableEvent, type WebhookContent, type WebhookEvent } from "../../domain/webhooks";
import type { DbOrTx } from "../db";

export interface EnqueueWebhookEventInput {
  environmentId: string;
  /**
   * The event, or candidate events most specific first: each webhook gets ONE delivery, for the
   * first candidate it subscribes to (see rolloutTransitionEvents).
   */
  event: WebhookEvent | readonly WebhookEvent[];
  /** `text` (Slack-compatible sentence) plus summaries; see lib/domain/webhooks/payload.ts builders. */
  payload: WebhookContent;
  occurredAt?: Date;
}

/**
 * Creates one pending delivery per active webhook of the environment (or of all environments)
 * subscribed to the event. Returns how many were enqueued (0 when nobody listens).
 * Call `kickWebhookWorker()` after the transaction commits for an immediate send; otherwise the
 * worker's next poll (≤ 1 s) picks them up.
 */
export async function enqueueWebhookEvent(tx: DbOrTx, input: EnqueueWebhookEventInput): Promise<number> {
  const candidates: readonly WebhookEvent[] = typeof input.event === "string" ? [input.event] : input.event;
  if (candidates.length === 0) return 0;
  const webhooks = await tx.webhook.findMany({
    where: {
      active: true,
      events: { hasSome: [...candidates] },
      OR: [{ environmentId: input.environmentId }, { environmentId: null }],
    },
    select: { id: true, events: true },
  });
  if (webhooks.length === 0) return 0;
  const environment = await tx.environment.findUniqueOrThrow({
    where: { id: input.environmentId },
    select: { id: true, key: true },
  });
  const occurredAt = input.occurredAt ?? new Date();
  const rows = webhooks.flatMap((w) => {
    const event = pickSubscribedEvent(candidates, w.events);
    return event ? [deliveryRow(w.id, event, webhookPayload(event, occurredAt, environment, input.payload))] : [];
  });
  await tx.webhookDelivery.createMany({ data: rows });
  return rows.length;
}

/** One delivery to one webhook regardless of its subscriptions ("send test event"). */
export async function enqueueDirectDelivery(
  tx: DbOrTx,
  input: { webhookId: string; event: DeliverableEvent; environment: { id: string; key: string } | null; payload: WebhookContent; occurredAt?: Date },
): Promise<string> {
  const row = await tx.webhookDelivery.create({
    data: deliveryRow(input.webhookId, input.event, webhookPayload(input.event, input.occurredAt ?? new Date(), input.environment, input.payload)),
    select: { id: true },
  });
  return row.id;
}

function deliveryRow(webhookId: string, event: DeliverableEvent, payload: unknown) {
  // Through JSON once, so the stored body is exactly what will be serialised and signed.
  return { webhookId, event, payload: JSON.parse(JSON.stringify(payload)) as object };
}
