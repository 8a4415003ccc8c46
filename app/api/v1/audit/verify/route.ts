import { route } from "@/lib/server/http/route";
import { verifyAuditChain } from "@/lib/server/services/audit";

/** Sessions, and API keys of scope `admin` (`rollgate audit verify`): the verdict names no content. */
export const GET = route({
  permission: "audit.read",
  apiKeys: true,
  handler: async () => verifyAuditChain(),
});
