import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { NewRolloutWizard } from "@/components/rollouts/new-rollout-wizard";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "New rollout" };

export default async function NewRolloutPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor("/rollouts/new");
  if (!can(actor, "rollout.write")) return <Forbidden permission="rollout.write" roles={actor.roles} what="creating rollouts" />;
  await environmentOr404(searchParams);
  return <NewRolloutWizard />;
}
