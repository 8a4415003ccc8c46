import { route } from "@/lib/server/http/route";
import { createRolloutRequestSchema, listRolloutsFilterSchema } from "@/lib/schemas/rollout-extras";
import { createRollout, getRollout, listRollouts } from "@/lib/server/services/rollouts";

/** GET /api/v1/rollouts?environment=&state=&flagKey=&strategy= */
export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  query: listRolloutsFilterSchema,
  handler: async ({ actor, query }) => listRollouts(actor, query),
});

/** POST /api/v1/rollouts: a draft rollout; answers with its detail. */
export const POST = route({
  permission: "rollout.write",
  apiKeys: true,
  body: createRolloutRequestSchema,
  status: 201,
  handler: async ({ actor, body, requestId }) => {
    const id = await createRollout(actor, body, { requestId });
    return getRollout(actor, id);
  },
});
