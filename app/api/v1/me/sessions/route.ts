import { route } from "@/lib/server/http/route";
import { signOutEverywhere } from "@/lib/server/services/users";

/** Sign out everywhere: ends every session of the signed-in user, this one included. */
export const DELETE = route({
  permission: "dashboard.read",
  handler: async ({ actor, requestId }) => signOutEverywhere(actor, actor.id, { requestId }),
});
