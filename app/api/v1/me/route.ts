import { getEnv } from "@/lib/env";
import { route } from "@/lib/server/http/route";

/**
 * GET /api/v1/me: the signed-in user, roles, effective permissions, and the server features forms
 * depend on (`features.promql`: PROMETHEUS_URL is set, so PromQL gates can be evaluated).
 */
export const GET = route({
  permission: "dashboard.read",
  handler: async ({ actor }) => ({
    id: actor.id,
    email: actor.label,
    roles: actor.roles,
    permissions: [...actor.permissions].sort(),
    features: { promql: Boolean(getEnv().PROMETHEUS_URL) },
  }),
});
