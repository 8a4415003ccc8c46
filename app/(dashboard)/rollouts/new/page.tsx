import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { NewRolloutWizard } from "@/components/rollouts/new-rollout-wizard";
import { can, requirePageActor } from "@/lib/server/auth/guard";

export const metadata: Metadata = { title: "New rollout" };

export default async function NewRolloutPage() {
  const actor = await requirePageActor("/rollouts/new");
  if (!can(actor, "rollout.write")) return <Forbidden permission="rollout.write" roles={actor.roles} what="creating rollouts" />;
  return <NewRolloutWizard />;
}
