import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { PricesClient } from "@/components/prices/prices-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "Model prices" };

export default async function PricesPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor("/settings/prices");
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} what="model prices" />;
  await environmentOr404(searchParams);
  return <PricesClient canEdit={can(actor, "price.manage")} />;
}
