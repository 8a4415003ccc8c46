/** Server side of webhooks: enqueue in the caller's transaction; the worker sends. */
import "server-only";

export { enqueueWebhookEvent, enqueueDirectDelivery, type EnqueueWebhookEventInput } from "./enqueue";
export { kickWebhookWorker, startWebhookWorker, createWebhookWorker, claimDueDeliveries } from "./worker";
export { sendDelivery } from "./send";
