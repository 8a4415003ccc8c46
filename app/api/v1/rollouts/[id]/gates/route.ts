import { z } from "zod";
import { idParamsSchema } from "@/lib/schemas/common";
import { MAX_GATE_HISTORY, getGateHistory } from "@/lib/server/services/gates/gate-history";
import { route } from "@/lib/server/http/route";

/**
 * GET /api/v1/rollouts/{id}/gates: each stage's gates in words, the latest result of the current
 * stage's gates, the result history (oldest first, at most `limit`), and the reason of the last
 * automatic action.
 */
export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  params: idParamsSchema,
  query: z.object({ limit: z.coerce.number().int().min(1).max(MAX_GATE_HISTORY).optional() }),
  handler: async ({ actor, params, query }) => getGateHistory(actor, params.id, { limit: query.limit }),
});
