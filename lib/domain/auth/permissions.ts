/**
 * Role → permission table: the single source of who may do what. Every route and page declares
 * the permission it needs; tests walk this table.
 */
export const ROLES = ["viewer", "operator", "reviewer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const API_KEY_SCOPES = ["evaluate", "ingest", "manage", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const PERMISSIONS = [
  "dashboard.read", // see flags, rollouts, SLOs, metrics
  "audit.read", // read, export and verify the audit trail
  "flag.write", // create, edit, archive flags
  "flag.kill_switch",
  "rollout.write", // create rollouts; start, promote, pause, resume, roll back, abort
  "rollout.approve", // approve or reject a promotion gate
  "rollout.skip_analysis", // emergency promotion past gates
  "slo.write",
  "user.manage",
  "api_key.manage",
  "webhook.manage",
  "price.manage",
  "settings.manage",
  "flag.evaluate", // API keys only
  "event.ingest", // API keys only
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ["dashboard.read", "audit.read"];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: READ,
  operator: [...READ, "flag.write", "flag.kill_switch", "rollout.write", "slo.write"],
  reviewer: [...READ, "rollout.approve"],
  admin: [
    ...READ,
    "flag.write",
    "flag.kill_switch",
    "rollout.write",
    "rollout.approve",
    "rollout.skip_analysis",
    "slo.write",
    "user.manage",
    "api_key.manage",
    "webhook.manage",
    "price.manage",
    "settings.manage",
  ],
};

/** What an API key of each scope may do, always within the key's own environment. */
export const SCOPE_PERMISSIONS: Record<ApiKeyScope, readonly Permission[]> = {
  evaluate: ["flag.evaluate"],
  ingest: ["event.ingest"],
  manage: ["dashboard.read", "flag.write", "flag.kill_switch", "rollout.write", "slo.write"],
  /**
   * Config as code with an admin's reach in the key's environment: manage, plus the webhooks of
   * that environment and `rollout.skip_analysis`, which lets `apply --force` change the serving
   * of a flag under an active rollout, and `audit.read` for `rollgate audit verify`. Never
   * users, API keys, prices or settings.
   */
  admin: ["dashboard.read", "audit.read", "flag.write", "flag.kill_switch", "rollout.write", "slo.write", "webhook.manage", "rollout.skip_analysis"],
};

export function permissionsForRoles(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []));
}

export function permissionsForScopes(scopes: readonly ApiKeyScope[]): Set<Permission> {
  return new Set(scopes.flatMap((s) => SCOPE_PERMISSIONS[s] ?? []));
}

export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  return permissionsForRoles(roles).has(permission);
}
