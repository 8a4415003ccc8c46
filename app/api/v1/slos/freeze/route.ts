import { z } from "zod";
import { environmentKeySchema } from "@/lib/schemas/common";
import { flagKeySchema } from "@/lib/schemas/flags";
import { assertEnvironment } from "@/lib/server/auth/access";
import { route } from "@/lib/server/http/route";
import { getEnvironmentByKey } from "@/lib/server/services/environments";
import { getPromotionFreeze } from "@/lib/server/services/promotion-freeze";

/** GET /api/v1/slos/freeze?environment=&flagKey=: whether the flag's SLOs freeze promotions now, and why. */
export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  query: z.object({ environment: environmentKeySchema, flagKey: flagKeySchema }),
  handler: async ({ actor, query }) => {
    const environment = await getEnvironmentByKey(query.environment);
    assertEnvironment(actor, environment.id);
    return getPromotionFreeze(environment.id, query.flagKey);
  },
});
