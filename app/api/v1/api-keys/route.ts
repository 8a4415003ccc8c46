import { route } from "@/lib/server/http/route";
import { createApiKeyBodySchema, listApiKeysQuerySchema } from "@/lib/schemas/api-keys";
import { createApiKey, listApiKeys } from "@/lib/server/services/api-keys";

/** Every key (optionally `?environment=`), without the key or its hash. */
export const GET = route({
  permission: "api_key.manage",
  query: listApiKeysQuerySchema,
  handler: async ({ actor, query }) => ({ apiKeys: await listApiKeys(actor, query) }),
});

/** The answer carries `key` once; only its hash is stored. */
export const POST = route({
  permission: "api_key.manage",
  body: createApiKeyBodySchema,
  status: 201,
  handler: async ({ actor, body, requestId }) => createApiKey(actor, body, { requestId }),
});
