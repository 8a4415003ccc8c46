import { route } from "@/lib/server/http/route";
import { updateWebhookBodySchema, webhookParamsSchema } from "@/lib/schemas/webhooks";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/server/services/webhooks";

export const GET = route({
  permission: "webhook.manage",
  params: webhookParamsSchema,
  handler: async ({ params }) => getWebhook(params.id),
});

export const PATCH = route({
  permission: "webhook.manage",
  params: webhookParamsSchema,
  body: updateWebhookBodySchema,
  handler: async ({ actor, params, body, requestId }) => updateWebhook(actor, params.id, body, { requestId }),
});

export const DELETE = route({
  permission: "webhook.manage",
  params: webhookParamsSchema,
  status: 204,
  handler: async ({ actor, params, requestId }) => deleteWebhook(actor, params.id, { requestId }),
});
