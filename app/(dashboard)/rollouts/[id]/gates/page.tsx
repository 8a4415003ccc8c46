import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { DraftGatesClient } from "@/components/rollouts/draft-gates-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

export const metadata: Metadata = { title: "Rollout gates" };

export default async function RolloutGatesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor(`/rollouts/${encodeURIComponent(id)}/gates`);
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  return <DraftGatesClient id={id} />;
}
