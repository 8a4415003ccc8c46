import { route } from "@/lib/server/http/route";
import { createFlagBodySchema, createFlagQuerySchema, flagEnvironmentOf, listFlagsQuerySchema } from "@/lib/schemas/flags";
import { createFlag, listFlags } from "@/lib/server/services/flags";

/** GET /api/v1/flags?environment=&includeArchived=true&q= → {flags: FlagView[]}, sorted by key. */
export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  query: listFlagsQuerySchema,
  handler: async ({ actor, query }) => listFlags(actor, query),
});

/** POST /api/v1/flags?environment= (or `environment` in the body): a flag document → 201 {flag}. */
export const POST = route({
  permission: "flag.write",
  apiKeys: true,
  query: createFlagQuerySchema,
  body: createFlagBodySchema,
  status: 201,
  handler: async ({ actor, query, body, requestId }) => createFlag(actor, flagEnvironmentOf(query.environment, body.environment), body.flag, { requestId }),
});
