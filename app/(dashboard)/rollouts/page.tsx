import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { RolloutsClient } from "@/components/rollouts/rollouts-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "Rollouts" };

export default async function RolloutsPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor("/rollouts");
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  await environmentOr404(searchParams);
  return <RolloutsClient canWrite={can(actor, "rollout.write")} canManageSettings={can(actor, "settings.manage")} />;
}
