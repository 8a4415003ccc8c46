import { idParamsSchema } from "@/lib/schemas/common";
import { sloBodySchema } from "@/lib/schemas/slo";
import { route } from "@/lib/server/http/route";
import { deleteSlo, getSlo, updateSlo } from "@/lib/server/services/slos/slos";

/** GET /api/v1/slos/{id}: status plus the 24-hour burn-rate chart and the recent alerts. */
export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  params: idParamsSchema,
  handler: async ({ actor, params }) => getSlo(actor, params.id),
});

/** PUT /api/v1/slos/{id}: replace the definition (same body as POST). */
export const PUT = route({
  permission: "slo.write",
  apiKeys: true,
  params: idParamsSchema,
  body: sloBodySchema,
  handler: async ({ actor, params, body, requestId }) => updateSlo(actor, params.id, body, { requestId }),
});

/** DELETE /api/v1/slos/{id}. */
export const DELETE = route({
  permission: "slo.write",
  apiKeys: true,
  params: idParamsSchema,
  status: 204,
  handler: async ({ actor, params, requestId }) => {
    await deleteSlo(actor, params.id, { requestId });
    return null;
  },
});
