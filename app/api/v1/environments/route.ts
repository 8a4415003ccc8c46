import { route } from "@/lib/server/http/route";
import { listEnvironments } from "@/lib/server/services/environments";

export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  handler: async () => ({ environments: await listEnvironments() }),
});
