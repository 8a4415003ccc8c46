import { route } from "@/lib/server/http/route";
import { auditQuerySchema } from "@/lib/schemas/audit";
import { listAudit } from "@/lib/server/services/audit";

export const GET = route({
  permission: "audit.read",
  query: auditQuerySchema,
  handler: async ({ query }) => listAudit(query),
});
