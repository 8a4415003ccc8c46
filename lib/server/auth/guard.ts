/**
 * The one auth guard: who is calling (session cookie or API key) and may they do this.
 * Pages use `requirePageActor`; route handlers get the actor through lib/server/http/route.ts.
 */
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { DomainError } from "../../domain/errors";
import { permissionsForRoles, type Permission, type Role } from "../../domain/auth/permissions";
import { db } from "../db";
import type { Actor } from "./actor";
import { buildAuthOptions } from "./options";

export async function sessionActor(): Promise<Actor | null> {
  const session = await getServerSession(buildAuthOptions());
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return null;
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user?.active) return null;
  return {
    type: "user",
    id: user.id,
    label: user.email,
    roles: user.roles as Role[],
    permissions: permissionsForRoles(user.roles as Role[]),
    environmentId: null,
  };
}

export function assertPermission(actor: Actor, permission: Permission): void {
  if (!actor.permissions.has(permission)) {
    throw new DomainError("forbidden", `This action needs the permission "${permission}", which your role does not grant.`, {
      permission,
      roles: [...actor.roles],
    });
  }
}

/** API keys are bound to one environment; users may act in any. */
export function assertEnvironment(actor: Actor, environmentId: string): void {
  if (actor.environmentId && actor.environmentId !== environmentId) {
    throw new DomainError("forbidden", "This API key belongs to another environment.");
  }
}

export function can(actor: Actor | null, permission: Permission): boolean {
  return Boolean(actor?.permissions.has(permission));
}

/** For server-rendered pages: no session → sign-in page; returns the actor otherwise. */
export async function requirePageActor(nextPath?: string): Promise<Actor> {
  const actor = await sessionActor();
  if (!actor) redirect(nextPath ? `/login?callbackUrl=${encodeURIComponent(nextPath)}` : "/login");
  return actor;
}
