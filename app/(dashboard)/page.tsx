import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { OverviewClient } from "@/components/overview/overview-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const actor = await requirePageActor("/");
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  return <OverviewClient roles={[...actor.roles]} permissions={[...actor.permissions].sort()} canReadAudit={can(actor, "audit.read")} canApprove={can(actor, "rollout.approve")} />;
}
