import type { Metadata } from "next";
import { ApiKeysClient } from "@/components/api-keys/api-keys-client";
import { Forbidden } from "@/components/auth/forbidden";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor("/settings/api-keys");
  if (!can(actor, "api_key.manage")) return <Forbidden permission="api_key.manage" roles={actor.roles} what="API keys" />;
  await environmentOr404(searchParams);
  return <ApiKeysClient />;
}
