import { route } from "@/lib/server/http/route";
import { idParamsSchema } from "@/lib/schemas/common";
import { getRollout } from "@/lib/server/services/rollouts";

/** GET /api/v1/rollouts/{id}: plan, stages, state, readiness, actions for the caller, approvals, history. */
export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  params: idParamsSchema,
  handler: async ({ actor, params }) => getRollout(actor, params.id),
});
