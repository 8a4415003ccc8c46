import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { SlosClient } from "@/components/slos/slos-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "SLOs" };

export default async function SlosPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor("/slos");
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  await environmentOr404(searchParams);
  return <SlosClient />;
}
