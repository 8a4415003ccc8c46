import { route } from "@/lib/server/http/route";
import { listDeliveriesQuerySchema, webhookParamsSchema } from "@/lib/schemas/webhooks";
import { listDeliveries } from "@/lib/server/services/webhooks";

/** The delivery log, newest first: status, attempts, last status code and error. */
export const GET = route({
  permission: "webhook.manage",
  params: webhookParamsSchema,
  query: listDeliveriesQuerySchema,
  handler: async ({ params, query }) => listDeliveries(params.id, query),
});
