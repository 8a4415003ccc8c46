import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { WebhooksClient } from "@/components/webhooks/webhooks-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor("/settings/webhooks");
  if (!can(actor, "webhook.manage")) return <Forbidden permission="webhook.manage" roles={actor.roles} what="webhooks" />;
  await environmentOr404(searchParams);
  return <WebhooksClient />;
}
