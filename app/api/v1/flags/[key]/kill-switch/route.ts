import { route } from "@/lib/server/http/route";
import { environmentQuerySchema } from "@/lib/schemas/common";
import { flagParamsSchema, killSwitchBodySchema } from "@/lib/schemas/flags";
import { setKillSwitch } from "@/lib/server/services/flags";

/** POST /api/v1/flags/{key}/kill-switch?environment=: {enabled, reason} → {flag}. */
export const POST = route({
  permission: "flag.kill_switch",
  apiKeys: true,
  params: flagParamsSchema,
  query: environmentQuerySchema,
  body: killSwitchBodySchema,
  handler: async ({ actor, params, query, body, requestId }) => setKillSwitch(actor, query.environment, params.key, body, { requestId }),
});
