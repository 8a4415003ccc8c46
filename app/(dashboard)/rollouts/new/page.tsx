import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { NewRolloutWizard } from "@/components/rollouts/new-rollout-wizard";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

export const metadata: Metadata = { title: "New rollout" };

export default async function NewRolloutPage() {
  const actor = await requirePageActor("/rollouts/new");
  if (!can(actor, "rollout.write")) return <Forbidden permission="rollout.write" roles={actor.roles} what="creating rollouts" />;
  return <NewRolloutWizard />;
}
