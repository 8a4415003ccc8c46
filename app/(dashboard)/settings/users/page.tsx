import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { UsersClient } from "@/components/settings/users/users-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor("/settings/users");
  if (!can(actor, "user.manage")) return <Forbidden permission="user.manage" roles={actor.roles} what="user management" />;
  await environmentOr404(searchParams);
  return <UsersClient currentUserId={actor.id} />;
}
