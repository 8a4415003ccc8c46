/**
 * May this actor do this, here? The permission and environment checks every service and route
 * runs (lib/server/auth/guard.ts says who the actor is). Free of Next.js imports on purpose.
 */
import "server-only";
import { DomainError } from "../../domain/errors";
import type { Permission } from "../../domain/auth/permissions";
import type { Actor } from "./actor";

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
