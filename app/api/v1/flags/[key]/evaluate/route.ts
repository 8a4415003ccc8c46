import { route } from "@/lib/server/http/route";
import { environmentQuerySchema } from "@/lib/schemas/common";
import { flagParamsSchema, flagTestBodySchema } from "@/lib/schemas/flags";
import { testEvaluateFlag } from "@/lib/server/services/flags";

/** POST /api/v1/flags/{key}/evaluate?environment=: {context} → {result, configVersion}; no exposure is counted. */
export const POST = route({
  permission: "dashboard.read",
  apiKeys: true,
  params: flagParamsSchema,
  query: environmentQuerySchema,
  body: flagTestBodySchema,
  handler: async ({ actor, params, query, body }) => testEvaluateFlag(actor, query.environment, params.key, body.context),
});
