import { describe, expect, test } from "vitest";
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, hasPermission, permissionsForScopes } from "./permissions";

describe("role → permission table", () => {
  test("every role can read; only admin manages users, keys, webhooks, prices", () => {
    for (const role of ROLES) expect(hasPermission([role], "dashboard.read")).toBe(true);
    for (const p of ["user.manage", "api_key.manage", "webhook.manage", "price.manage"] as const) {
      expect(ROLES.filter((r) => hasPermission([r], p))).toEqual(["admin"]);
    }
  });

  test.each([
    ["viewer", "flag.write", false],
    ["viewer", "rollout.write", false],
    ["operator", "rollout.write", true],
    ["operator", "rollout.approve", false],
    ["reviewer", "rollout.approve", true],
    ["reviewer", "rollout.write", false],
    ["operator", "rollout.skip_analysis", false],
    ["admin", "rollout.skip_analysis", true],
  ] as const)("%s has %s: %s", (role, permission, expected) => {
    expect(hasPermission([role], permission)).toBe(expected);
  });

  test("several roles combine", () => {
    expect(hasPermission(["operator", "reviewer"], "rollout.approve")).toBe(true);
    expect(hasPermission(["operator", "reviewer"], "user.manage")).toBe(false);
  });

  test("table only names known permissions; API-key-only permissions are not granted to roles", () => {
    for (const role of ROLES) {
      for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
      expect(hasPermission([role], "flag.evaluate")).toBe(false);
      expect(hasPermission([role], "event.ingest")).toBe(false);
    }
  });

  test("scopes map to narrow permissions", () => {
    expect([...permissionsForScopes(["evaluate"])]).toEqual(["flag.evaluate"]);
    expect(permissionsForScopes(["manage"]).has("user.manage")).toBe(false);
  });
});
