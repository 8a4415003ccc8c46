import type { Permission } from "@/lib/domain/auth/permissions";
import { RoleBadges } from "../ui/badge";
import { IconLock } from "../ui/icons";

/**
 * The 403 panel a page renders instead of its content when the signed-in user's roles lack the
 * permission the page needs. The server decides; this only explains.
 */
export function Forbidden({ permission, roles, what = "this page" }: { permission: Permission; roles: readonly string[]; what?: string }) {
  return (
    <div className="forbidden" role="alert" aria-labelledby="forbidden-title">
      <div className="forbidden-icon" aria-hidden>
        <IconLock size={28} />
      </div>
      <p className="forbidden-code">403 · Forbidden</p>
      <h1 id="forbidden-title" className="forbidden-title">
        You don&apos;t have access to {what}
      </h1>
      <p className="forbidden-text">
        It needs the permission <code>{permission}</code>, which none of your roles grants.
      </p>
      <p className="forbidden-text">Your roles: {roles.length ? <RoleBadges roles={roles} /> : <em>none</em>}. Ask an admin to change them if you need access.</p>
    </div>
  );
}
