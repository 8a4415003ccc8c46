"use client";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { api } from "@/lib/client/api";
import { RoleBadges } from "../ui/badge";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/dialog";
import { IconLogout } from "../ui/icons";

/** Who is signed in, with which roles, and the ways out: this browser, or every browser. */
export function UserMenu({ email, roles }: { email: string; roles: readonly string[] }) {
  const [leaving, setLeaving] = useState(false);
  const [everywhere, setEverywhere] = useState(false);
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
      <Button size="sm" variant="ghost" onClick={() => setEverywhere(true)}>
        Sign out everywhere
      </Button>
      <ConfirmDialog
        open={everywhere}
        onClose={() => setEverywhere(false)}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        tone="danger"
        onConfirm={async () => {
          await api.delete("/api/v1/me/sessions");
          setLeaving(true);
          await signOut({ callbackUrl: "/login" });
        }}
      >
        <p>Every browser signed in as {email}, this one included, is signed out at once.</p>
      </ConfirmDialog>
    </div>
  );
}
