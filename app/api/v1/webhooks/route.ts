import { route } from "@/lib/server/http/route";
import { createWebhookBodySchema } from "@/lib/schemas/webhooks";
import { createWebhook, listWebhooks } from "@/lib/server/services/webhooks";

export const GET = route({
  permission: "webhook.manage",
  handler: async () => ({ webhooks: await listWebhooks() }),
});

/** The answer carries the secret once; it is never shown again. */
export const POST = route({
  permission: "webhook.manage",
  body: createWebhookBodySchema,
  status: 201,
  handler: async ({ actor, body, requestId }) => createWebhook(actor, body, { requestId }),
});
