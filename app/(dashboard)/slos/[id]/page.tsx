import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { SloDetailClient } from "@/components/slos/slo-detail-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, sloOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "SLO" };

export default async function SloPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const { id } = await params;
  const actor = await requirePageActor(`/slos/${encodeURIComponent(id)}`);
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  await environmentOr404(searchParams);
  await sloOr404(id);
  return <SloDetailClient id={id} />;
}
