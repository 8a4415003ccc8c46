import { route } from "@/lib/server/http/route";
import { createUserBodySchema } from "@/lib/schemas/users";
import { createUser, listUsers } from "@/lib/server/services/users";

export const GET = route({
  permission: "user.manage",
  handler: async () => ({ users: await listUsers() }),
});

export const POST = route({
  permission: "user.manage",
  body: createUserBodySchema,
  status: 201,
  handler: async ({ actor, body, requestId }) => createUser(actor, body, { requestId }),
});
