/**
 * Playwright's web server: a fresh database on the test Postgres (see scripts/lib/test-db.ts),
 * then the production build of the app on E2E_PORT (3210) with a known admin.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createFreshDatabase, e2eDatabaseUrlFile } from "./lib/test-db";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main() {
  const fresh = await createFreshDatabase("rollgate_e2e");
  console.log(`e2e database: ${fresh.name}`);
  // Specs that start a second app instance on the same database read its URL here.
  writeFileSync(e2eDatabaseUrlFile(process.env.E2E_PORT ?? "3210"), fresh.url);
  const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: fresh.url,
      PORT: process.env.E2E_PORT ?? "3210",
      HOST: "127.0.0.1",
      ROLLGATE_ADMIN_EMAIL: "admin@rollgate.test",
      ROLLGATE_ADMIN_PASSWORD: "admin-password-e2e",
      ROLLGATE_DEMO: "0",
      ROLLGATE_EVALUATOR_INTERVAL_SECONDS: process.env.ROLLGATE_EVALUATOR_INTERVAL_SECONDS ?? "2",
      ROLLGATE_SNAPSHOT_POLL_SECONDS: "1",
      ROLLGATE_SIGNIN_MAX_FAILURES: "10",
      // The specs vary the client address through X-Forwarded-For (sign-in throttling).
      ROLLGATE_TRUSTED_PROXIES: "127.0.0.1,::1",
      // e2e/ui/security.spec.ts scrapes /metrics with this token.
      ROLLGATE_METRICS_TOKEN: "e2e-metrics-token-0123456789",
      // The automation spec's webhook receiver listens on loopback.
      ROLLGATE_WEBHOOK_ALLOW_PRIVATE: "1",
    },
  });
  const stop = async () => {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await fresh.drop().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
  child.once("exit", async (code) => {
    await fresh.drop().catch(() => undefined);
    process.exit(code ?? 1);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
