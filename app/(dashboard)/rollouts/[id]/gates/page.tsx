import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { DraftGatesClient } from "@/components/rollouts/draft-gates-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, rolloutOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "Rollout gates" };

export default async function RolloutGatesPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const { id } = await params;
  const actor = await requirePageActor(`/rollouts/${encodeURIComponent(id)}/gates`);
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  await environmentOr404(searchParams);
  await rolloutOr404(id);
  return <DraftGatesClient id={id} />;
}
