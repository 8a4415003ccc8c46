import { route } from "@/lib/server/http/route";
import { idParamsSchema } from "@/lib/schemas/common";
import { signOutEverywhere } from "@/lib/server/services/users";

/** An admin signs a user out everywhere (a lost laptop, a leaving colleague). */
export const DELETE = route({
  permission: "user.manage",
  params: idParamsSchema,
  handler: async ({ actor, params, requestId }) => signOutEverywhere(actor, params.id, { requestId }),
});
