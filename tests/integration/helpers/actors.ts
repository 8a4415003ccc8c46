import { randomUUID } from "node:crypto";
import { permissionsForRoles, type Role } from "@/lib/domain/auth/permissions";
import type { Actor } from "@/lib/server/auth/actor";
import { db } from "@/lib/server/db";

/** A real user row with the given roles, returned as the Actor a signed-in request would carry. */
export async function createTestUser(roles: Role[], label = roles.join("-")): Promise<Actor> {
  const email = `${label}-${randomUUID().slice(0, 8)}@rollgate.test`;
  const user = await db.user.create({ data: { email, name: label, roles, passwordHash: null } });
  return { type: "user", id: user.id, label: email, roles, permissions: permissionsForRoles(roles), environmentId: null };
}

export const ctx = () => ({ requestId: randomUUID() });
