import "server-only";
import { permissionsForRoles, type Permission, type Role } from "../../domain/auth/permissions";

/** Whoever is acting: a signed-in user, an API key, or the system itself (evaluator, start-up). */
export interface Actor {
  type: "user" | "api_key" | "system";
  id: string;
  /** Email, key name or "system": what the audit trail and UI show. */
  label: string;
  roles: Role[] | string[];
  permissions: ReadonlySet<Permission>;
  /** API keys act only inside their own environment; users are not bound to one. */
  environmentId: string | null;
  /** The session a signed-in user acts through (lib/server/auth/sessions.ts). */
  sessionId?: string;
}

export const SYSTEM_ACTOR: Actor = {
  type: "system",
  id: "system",
  label: "system",
  roles: ["system"],
  permissions: new Set<Permission>(),
  environmentId: null,
};

/** The actor of a signed-in user (sessions, and scripts acting as a known user such as the demo seed). */
export function userActor(user: { id: string; email: string; roles: string[] }): Actor {
  const roles = user.roles as Role[];
  return { type: "user", id: user.id, label: user.email, roles, permissions: permissionsForRoles(roles), environmentId: null };
}
