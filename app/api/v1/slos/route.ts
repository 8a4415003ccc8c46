import { environmentQuerySchema } from "@/lib/schemas/common";
import { sloBodySchema } from "@/lib/schemas/slo";
import { route } from "@/lib/server/http/route";
import { createSlo, listSlos } from "@/lib/server/services/slos/slos";

/** GET /api/v1/slos?environment=: the environment's SLOs with budget, burn rates, alerts and policy state. */
export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  query: environmentQuerySchema,
  handler: async ({ actor, query }) => listSlos(actor, query.environment),
});

/** POST /api/v1/slos: create an SLO (operator; `manage` API keys). */
export const POST = route({
  permission: "slo.write",
  apiKeys: true,
  body: sloBodySchema,
  status: 201,
  handler: async ({ actor, body, requestId }) => createSlo(actor, body, { requestId }),
});
