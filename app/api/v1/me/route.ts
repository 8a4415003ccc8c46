import { route } from "@/lib/server/http/route";

export const GET = route({
  permission: "dashboard.read",
  handler: async ({ actor }) => ({
    id: actor.id,
    email: actor.label,
    roles: actor.roles,
    permissions: [...actor.permissions].sort(),
  }),
});
