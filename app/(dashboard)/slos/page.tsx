import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { SlosClient } from "@/components/slos/slos-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

export const metadata: Metadata = { title: "SLOs" };

export default async function SlosPage() {
  const actor = await requirePageActor("/slos");
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  return <SlosClient />;
}
