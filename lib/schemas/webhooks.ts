import { z } from "zod";
import { WEBHOOK_EVENTS } from "../domain/webhooks/events";
import { environmentKeySchema, idParamsSchema } from "./common";

/**
 * Zod schemas of the webhooks API (admin). URLs are http(s) only, ≤ 2000 chars; names ≤ 100;
 * secrets 16-200 chars (blank or absent → the server generates one, shown once); 1 to all
 * events, each once; `environment` absent or null → the webhook hears every environment.
 */

export const MAX_WEBHOOK_URL_CHARS = 2000;
export const MIN_SECRET_CHARS = 16;
export const MAX_SECRET_CHARS = 200;

export const webhookEventSchema = z.enum(WEBHOOK_EVENTS);

export const webhookUrlSchema = z
  .string()
  .trim()
  .max(MAX_WEBHOOK_URL_CHARS)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
      } catch {
        return false;
      }
    },
    { error: "URL must be an absolute http:// or https:// address" },
  );

const eventsSchema = z
  .array(webhookEventSchema)
  .min(1, { error: "choose at least one event" })
  .transform((events) => [...new Set(events)]);

const secretSchema = z
  .string()
  .trim()
  .max(MAX_SECRET_CHARS)
  .refine((s) => s === "" || s.length >= MIN_SECRET_CHARS, {
    error: `secret must be at least ${MIN_SECRET_CHARS} characters, or blank to generate one`,
  });

export const createWebhookBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  url: webhookUrlSchema,
  secret: secretSchema.optional(),
  events: eventsSchema,
  environment: environmentKeySchema.nullable().optional(),
  active: z.boolean().default(true),
});
export type CreateWebhookBody = z.output<typeof createWebhookBodySchema>;

/** A partial update; `rotateSecret: true` replaces the secret with a generated one (shown once). */
export const updateWebhookBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  url: webhookUrlSchema.optional(),
  events: eventsSchema.optional(),
  environment: environmentKeySchema.nullable().optional(),
  active: z.boolean().optional(),
  rotateSecret: z.boolean().optional(),
});
export type UpdateWebhookBody = z.output<typeof updateWebhookBodySchema>;

export const webhookParamsSchema = idParamsSchema;

/** GET /webhooks/{id}/deliveries: newest first, at most `limit` (1-200, default 50). */
export const listDeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(["pending", "succeeded", "failed"]).optional(),
});
export type ListDeliveriesQuery = z.output<typeof listDeliveriesQuerySchema>;
