/**
 * GET /metrics: Rollgate's own metrics in the Prometheus text format, for a Prometheus to
 * scrape. Unauthenticated by design, like most exporters: it carries counts, durations and
 * rollout ids, never payloads, keys or user data. Restrict it at the network or proxy if needed.
 */
import { renderMetrics } from "@/lib/server/observability";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { body, contentType } = await renderMetrics();
  return new Response(body, { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" } });
}
