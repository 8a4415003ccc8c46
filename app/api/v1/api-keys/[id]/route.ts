import { route } from "@/lib/server/http/route";
import { apiKeyParamsSchema } from "@/lib/schemas/api-keys";
import { getApiKey, revokeApiKey } from "@/lib/server/services/api-keys";

export const GET = route({
  permission: "api_key.manage",
  params: apiKeyParamsSchema,
  handler: async ({ actor, params }) => getApiKey(actor, params.id),
});

/** Revokes the key (it stays listed, as revoked); answers the key as it now is. */
export const DELETE = route({
  permission: "api_key.manage",
  params: apiKeyParamsSchema,
  handler: async ({ actor, params, requestId }) => revokeApiKey(actor, params.id, { requestId }),
});
