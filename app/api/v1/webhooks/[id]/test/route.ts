import { route } from "@/lib/server/http/route";
import { webhookParamsSchema } from "@/lib/schemas/webhooks";
import { sendTestEvent } from "@/lib/server/services/webhooks";

/** Queues a `webhook.test` delivery; its outcome appears in the delivery log. */
export const POST = route({
  permission: "webhook.manage",
  params: webhookParamsSchema,
  status: 202,
  handler: async ({ actor, params, requestId }) => sendTestEvent(actor, params.id, { requestId }),
});
