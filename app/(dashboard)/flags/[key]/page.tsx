import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { FlagDetailClient } from "@/components/flags/flag-detail-client";
import { requirePageActor } from "@/lib/server/auth/guard";
import { can } from "@/lib/server/auth/access";

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

export default async function FlagPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  const flagKey = decodeKey(key);
  const actor = await requirePageActor(`/flags/${encodeURIComponent(flagKey)}`);
  if (!can(actor, "dashboard.read")) return <Forbidden permission="dashboard.read" roles={actor.roles} />;
  return <FlagDetailClient flagKey={flagKey} />;
}
