import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { RolloutDetailClient } from "@/components/rollouts/rollout-detail-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, rolloutOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "Rollout" };

export default async function RolloutPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const { id } = await params;
  const actor = await requirePageActor(`/rollouts/${encodeURIComponent(id)}`);
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  await environmentOr404(searchParams);
  await rolloutOr404(id);
  return <RolloutDetailClient id={id} />;
}
