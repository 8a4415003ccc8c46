import { route } from "@/lib/server/http/route";
import { idParamsSchema } from "@/lib/schemas/common";
import { updateUserBodySchema } from "@/lib/schemas/users";
import { updateUser } from "@/lib/server/services/users";

export const PATCH = route({
  permission: "user.manage",
  params: idParamsSchema,
  body: updateUserBodySchema,
  handler: async ({ actor, params, body, requestId }) => updateUser(actor, params.id, body, { requestId }),
});
