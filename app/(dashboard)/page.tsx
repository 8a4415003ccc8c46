import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { OverviewClient } from "@/components/overview/overview-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor("/");
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  await environmentOr404(searchParams);
  return <OverviewClient roles={[...actor.roles]} permissions={[...actor.permissions].sort()} canReadAudit={can(actor, "audit.read")} canApprove={can(actor, "rollout.approve")} />;
}
