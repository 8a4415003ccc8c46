import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { RolloutsClient } from "@/components/rollouts/rollouts-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

export const metadata: Metadata = { title: "Rollouts" };

export default async function RolloutsPage() {
  const actor = await requirePageActor("/rollouts");
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  return <RolloutsClient canWrite={can(actor, "rollout.write")} canManageSettings={can(actor, "settings.manage")} />;
}
