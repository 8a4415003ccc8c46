"use client";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { RoleBadges } from "../ui/badge";
import { Button } from "../ui/button";
import { IconLogout } from "../ui/icons";

/** Who is signed in, with which roles, and the way out. */
export function UserMenu({ email, roles }: { email: string; roles: readonly string[] }) {
  const [leaving, setLeaving] = useState(false);
  return (
    <div className="user-menu">
      <div className="user-menu-identity">
        <span className="user-avatar" aria-hidden>
          {email.charAt(0).toUpperCase()}
        </span>
        <span className="user-menu-text">
          <span className="user-email" data-testid="user-email">
            {email}
          </span>
          <RoleBadges roles={roles} />
        </span>
      </div>
      <Button
        size="sm"
        variant="ghost"
        icon={<IconLogout size={16} />}
        loading={leaving}
        onClick={() => {
          setLeaving(true);
          void signOut({ callbackUrl: "/login" });
        }}
      >
        Sign out
      </Button>
    </div>
  );
}
