import { z } from "zod";
import { gateListSchema } from "@/lib/domain/gates";
import { idParamsSchema } from "@/lib/schemas/common";
import { route } from "@/lib/server/http/route";
import { getRollout, updateDraftGates } from "@/lib/server/services/rollouts";

/**
 * PUT /api/v1/rollouts/{id}/stages/{stage}/gates: replace the gates of stage `stage` (1-based)
 * of a draft rollout. Body: `{ gates, expectedVersion? }`; answers with the rollout's detail.
 */
export const PUT = route({
  permission: "rollout.write",
  apiKeys: true,
  params: idParamsSchema.extend({ stage: z.coerce.number().int().min(1).max(100) }),
  body: z.strictObject({ gates: gateListSchema, expectedVersion: z.int().min(0).optional() }),
  handler: async ({ actor, params, body, requestId }) => {
    await updateDraftGates(actor, { rolloutId: params.id, stageIndex: params.stage - 1, gates: body.gates, expectedVersion: body.expectedVersion }, { requestId });
    return getRollout(actor, params.id);
  },
});
