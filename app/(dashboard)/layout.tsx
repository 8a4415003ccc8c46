import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { SignInRedirect } from "@/components/shell/sign-in-redirect";
import { sessionActor } from "@/lib/server/auth/guard";

/**
 * The signed-in frame. It shows who is signed in but grants nothing: every page below checks
 * its own session and permission (layouts and pages render independently in the App Router).
 * Without a session it renders no content at all.
 */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await sessionActor();
  if (!actor) return <SignInRedirect />;
  return <AppShell user={{ email: actor.label, roles: [...actor.roles] }}>{children}</AppShell>;
}
