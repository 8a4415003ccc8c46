/**
 * GET /metrics: Rollgate's own metrics in the Prometheus text format, for a Prometheus to
 * scrape. They name SLOs, environments and burn rates, so with ROLLGATE_METRICS_TOKEN set the
 * scrape must send `Authorization: Bearer <token>` (Prometheus' `authorization` scrape config);
 * without it the endpoint is open, for networks where only Prometheus can reach it.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import { getEnv } from "@/lib/env";
import { problemBody, problemResponse } from "@/lib/server/http/problem";
import { renderMetrics } from "@/lib/server/observability";

export const dynamic = "force-dynamic";

/** Compares digests, so neither the length nor the content leaks through timing. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export async function GET(request: Request): Promise<Response> {
  const token = getEnv().ROLLGATE_METRICS_TOKEN;
  if (token) {
    const auth = request.headers.get("authorization") ?? "";
    const given = auth.toLowerCase().startsWith("bearer ") ? auth.slice(7).trim() : "";
    if (!sameToken(given, token)) {
      const requestId = request.headers.get("x-request-id")?.slice(0, 100) || crypto.randomUUID();
      return problemResponse(problemBody(401, "unauthenticated", "Send the metrics token as `Authorization: Bearer <ROLLGATE_METRICS_TOKEN>`.", requestId), {
        "www-authenticate": 'Bearer realm="metrics"',
      });
    }
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" } });
}
