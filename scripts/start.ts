/**
 * `npm start`: one command from a fresh clone to a running dashboard.
 * No DATABASE_URL → embedded Postgres (PGlite) under .data/, migrated, seeded with demo data.
 * With DATABASE_URL → that Postgres, migrated; demo data only when ROLLGATE_DEMO=1.
 * Builds the app first when the sources changed since the last build. `--dev` runs Next in dev mode.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getEnv, resetEnvCache, appUrl } from "../lib/env";
import { ensureBuilt, ensureGenerated } from "./lib/build";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  let env = getEnv();
  ensureGenerated(root);
  const stops: (() => Promise<void>)[] = [];

  let embedded = false;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const { startEmbeddedPostgres } = await import("../lib/server/db/embedded");
    const pg = await startEmbeddedPostgres({ dataDir: path.resolve(root, env.ROLLGATE_DATA_DIR), port: 0 });
    process.env.DATABASE_URL = databaseUrl = pg.url;
    stops.push(pg.stop);
    embedded = true;
    console.log(`• Embedded Postgres (PGlite) at ${pg.url} — data in ${env.ROLLGATE_DATA_DIR}/`);
  } else {
    console.log(`• Postgres from DATABASE_URL (${redact(databaseUrl)})`);
  }

  const { migrateDatabase } = await import("../lib/server/db/migrate");
  const migrated = await migrateDatabase({ databaseUrl, log: (l: string) => console.log(`  ${l}`) });
  console.log(`• Migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied.length} already in place`);

  const { bootstrap } = await import("../lib/server/bootstrap");
  resetEnvCache();
  env = getEnv();
  const report = await bootstrap(env, { embedded });
  process.env.AUTH_SECRET = report.authSecret;
  process.env.NEXTAUTH_SECRET = report.authSecret;
  process.env.NEXTAUTH_URL = appUrl(env);
  resetEnvCache();

  if (!dev) await ensureBuilt(root);

  const { startRuntime } = await import("../lib/server/runtime/runtime");
  const runtime = await startRuntime({ dev, dir: root });
  stops.unshift(runtime.close);

  printBanner(appUrl(env), report);

  const shutdown = async (signal: string) => {
    console.log(`\n${signal}: shutting down…`);
    for (const stop of stops) await stop().catch((e) => console.error(e));
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

function printBanner(url: string, report: Awaited<ReturnType<typeof import("../lib/server/bootstrap").bootstrap>>) {
  const lines = [`Rollgate is running at ${url}`];
  if (report.admin.password) {
    lines.push(`Admin login: ${report.admin.email} / ${report.admin.password}   (generated; shown only this once)`);
  } else if (report.admin.created) {
    lines.push(`Admin login: ${report.admin.email} (password from ROLLGATE_ADMIN_PASSWORD)`);
  } else {
    lines.push(`Sign in as ${report.admin.email} (the admin created on first start).`);
  }
  for (const a of report.demo.accounts) lines.push(`Demo ${a.roles.join("+")}: ${a.email} / ${a.password}`);
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  console.log(`\n${"═".repeat(width)}\n${lines.map((l) => `  ${l}`).join("\n")}\n${"═".repeat(width)}\n`);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  if (process.env.DEBUG) console.error(error);
  process.exit(1);
});
