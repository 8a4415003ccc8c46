import type { Metadata } from "next";
import { AuditClient } from "@/components/audit/audit-client";
import { Forbidden } from "@/components/auth/forbidden";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const actor = await requirePageActor("/audit");
  if (!can(actor, "audit.read")) return <Forbidden permission="audit.read" roles={actor.roles} />;
  return <AuditClient />;
}
