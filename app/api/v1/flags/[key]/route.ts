import { route } from "@/lib/server/http/route";
import { environmentQuerySchema } from "@/lib/schemas/common";
import { flagParamsSchema, updateFlagBodySchema } from "@/lib/schemas/flags";
import { archiveFlag, getFlag, updateFlag } from "@/lib/server/services/flags";

/** GET /api/v1/flags/{key}?environment= → {flag}; archived flags too. */
export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  params: flagParamsSchema,
  query: environmentQuerySchema,
  handler: async ({ actor, params, query }) => getFlag(actor, query.environment, params.key),
});

/** PATCH /api/v1/flags/{key}?environment=: document fields to change, optional expectedVersion → {flag}. */
export const PATCH = route({
  permission: "flag.write",
  apiKeys: true,
  params: flagParamsSchema,
  query: environmentQuerySchema,
  body: updateFlagBodySchema,
  handler: async ({ actor, params, query, body, requestId }) => updateFlag(actor, query.environment, params.key, { ...body.patch, expectedVersion: body.expectedVersion }, { requestId }),
});

/** DELETE /api/v1/flags/{key}?environment=: archives the flag (soft delete) → {flag}. */
export const DELETE = route({
  permission: "flag.write",
  apiKeys: true,
  params: flagParamsSchema,
  query: environmentQuerySchema,
  handler: async ({ actor, params, query, requestId }) => archiveFlag(actor, query.environment, params.key, { requestId }),
});
