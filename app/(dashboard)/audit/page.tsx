import type { Metadata } from "next";
import { AuditClient } from "@/components/audit/audit-client";
import { Forbidden } from "@/components/auth/forbidden";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor("/audit");
  if (!can(actor, "audit.read")) return <Forbidden permission="audit.read" roles={actor.roles} />;
  await environmentOr404(searchParams);
  return <AuditClient />;
}
