import { route } from "@/lib/server/http/route";
import { applyConfigBodySchema } from "@/lib/schemas/config";
import { applyConfig } from "@/lib/server/services/config";

/**
 * POST /api/v1/config/apply: config-as-code documents of one environment → the plan, applied in
 * one transaction unless `dryRun` (docs/config-as-code.md). Each kind's write permission is
 * checked by the service for what the plan changes.
 */
export const POST = route({
  permission: "dashboard.read",
  apiKeys: true,
  body: applyConfigBodySchema,
  handler: async ({ actor, body, requestId }) => applyConfig(actor, body, { requestId }),
});
