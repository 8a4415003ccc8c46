import { route } from "@/lib/server/http/route";
import { exportConfigQuerySchema } from "@/lib/schemas/config";
import { exportConfig } from "@/lib/server/services/config";

/** GET /api/v1/config/export?environment=: the environment as config-as-code documents, with version tokens. */
export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  query: exportConfigQuerySchema,
  handler: async ({ actor, query }) => exportConfig(actor, query.environment),
});
