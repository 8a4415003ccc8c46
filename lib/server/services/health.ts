import "server-only";
import { db } from "../db";
import { healthSignals } from "../observability/health-signals";

export const APP_VERSION = process.env.npm_package_version ?? "0.1.0";

export async function checkHealth(timeoutMs = 1500) {
  const dbUp = await Promise.race([
    db.$queryRawUnsafe("SELECT 1").then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
  ]);
  const degraded = [...healthSignals().entries()].map(([part, why]) => ({ part, why }));
  return {
    status: dbUp && degraded.length === 0 ? ("ok" as const) : ("degraded" as const),
    db: dbUp ? ("up" as const) : ("down" as const),
    version: APP_VERSION,
    ...(degraded.length ? { degraded } : {}),
  };
}
