import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { FlagDetailClient } from "@/components/flags/flag-detail-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";
import { environmentOr404, flagOr404, type PageSearchParams } from "@/lib/server/pages/not-found";

/** Flag keys never need escaping, but a hand-typed URL may carry `%2E` and the like. */
function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }): Promise<Metadata> {
  const { key } = await params;
  return { title: decodeKey(key) };
}

export default async function FlagPage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: PageSearchParams }) {
  const { key } = await params;
  const flagKey = decodeKey(key);
  const actor = await requirePageActor(`/flags/${encodeURIComponent(flagKey)}`);
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  const environment = await environmentOr404(searchParams);
  await flagOr404(environment.id, flagKey);
  return <FlagDetailClient flagKey={flagKey} />;
}
