import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { FlagsClient } from "@/components/flags/flags-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

export const metadata: Metadata = { title: "Flags" };

export default async function FlagsPage() {
  const actor = await requirePageActor("/flags");
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  return <FlagsClient />;
}
