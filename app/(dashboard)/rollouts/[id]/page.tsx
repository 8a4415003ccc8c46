import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { RolloutDetailClient } from "@/components/rollouts/rollout-detail-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

export const metadata: Metadata = { title: "Rollout" };

export default async function RolloutPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor(`/rollouts/${encodeURIComponent(id)}`);
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  return <RolloutDetailClient id={id} />;
}
