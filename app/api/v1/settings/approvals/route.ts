import { route } from "@/lib/server/http/route";
import { requiredApprovalsSettingSchema } from "@/lib/schemas/rollout-extras";
import { getRequiredApprovals, setRequiredApprovals } from "@/lib/server/services/rollouts";

/** How many distinct reviewers a gated stage needs in rollouts created from now on. */
export const GET = route({
  permission: "dashboard.read",
  handler: async () => ({ requiredApprovals: await getRequiredApprovals() }),
});

export const PUT = route({
  permission: "settings.manage",
  body: requiredApprovalsSettingSchema,
  handler: async ({ actor, body, requestId }) => setRequiredApprovals(actor, body.requiredApprovals, { requestId }),
});
