import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { SettingsIndex } from "@/components/settings/settings-index";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor("/settings");
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  await environmentOr404(searchParams);
  return <SettingsIndex canManageUsers={can(actor, "user.manage")} />;
}
