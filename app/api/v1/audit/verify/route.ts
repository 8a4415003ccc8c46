import { route } from "@/lib/server/http/route";
import { verifyAuditChain } from "@/lib/server/services/audit";

export const GET = route({
  permission: "audit.read",
  handler: async () => verifyAuditChain(),
});
