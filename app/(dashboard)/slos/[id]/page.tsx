import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { SloDetailClient } from "@/components/slos/slo-detail-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

export const metadata: Metadata = { title: "SLO" };

export default async function SloPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor(`/slos/${encodeURIComponent(id)}`);
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  return <SloDetailClient id={id} />;
}
