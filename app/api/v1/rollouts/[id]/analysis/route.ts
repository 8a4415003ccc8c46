/**
 * GET /api/v1/rollouts/{id}/analysis?from=&to=&stage= — the old-vs-new comparison with verdicts.
 * Signed-in users with dashboard.read, or an API key of scope `manage` in the rollout's environment.
 */
import { analysisQuerySchema } from "@/lib/schemas/analysis";
import { idParamsSchema } from "@/lib/schemas/common";
import { route } from "@/lib/server/http/route";
import { getRolloutAnalysis } from "@/lib/server/services/metrics/analysis";

export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  params: idParamsSchema,
  query: analysisQuerySchema,
  handler: async ({ actor, params, query }) => getRolloutAnalysis(actor, params.id, query),
});
