import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { SettingsIndex } from "@/components/settings/settings-index";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requirePageActor("/settings");
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  return <SettingsIndex canManageUsers={can(actor, "user.manage")} />;
}
