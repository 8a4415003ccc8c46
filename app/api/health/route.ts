import { checkHealth } from "@/lib/server/services/health";

export const dynamic = "force-dynamic";

/** Public liveness/readiness: 200 when ok, 503 when degraded (load balancers read the status). */
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
