/**
 * `npm run db:migrate` — applies prisma/migrations to DATABASE_URL, or, when DATABASE_URL is
 * absent, to the embedded PGlite database under ROLLGATE_DATA_DIR (started and stopped here).
 *
 * `npm run db:migrate -- --rolled-back <migration>` marks a failed attempt as rolled back
 * (Prisma's `migrate resolve --rolled-back`) after its migration.sql has been fixed, then migrates.
 */
import { getEnv } from "../lib/env";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../lib/server/db/embedded";
import { MigrationFailedError, MigrationRefusedError, markMigrationRolledBack, migrateDatabase } from "../lib/server/db/migrate";

function parseArgs(argv: string[]): { rolledBack?: string } {
  const i = argv.indexOf("--rolled-back");
  if (i === -1) return {};
  const name = argv[i + 1];
  if (!name || name.startsWith("--")) throw new Error("--rolled-back needs a migration name");
  return { rolledBack: name };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const env = getEnv();
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: env.ROLLGATE_DATA_DIR });
    databaseUrl = embedded.url;
    console.log(`Using the embedded database in ${env.ROLLGATE_DATA_DIR}/pglite`);
  }
  try {
    if (args.rolledBack) {
      await markMigrationRolledBack({ databaseUrl, migrationName: args.rolledBack });
      console.log(`Marked the failed attempt of ${args.rolledBack} as rolled back.`);
    }
    const result = await migrateDatabase({ databaseUrl, log: (line) => console.log(line) });
    console.log(`Applied ${result.applied.length} migration(s)` + (result.applied.length ? `: ${result.applied.join(", ")}` : "") + `; ${result.alreadyApplied.length} already applied.`);
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof MigrationRefusedError || error instanceof MigrationFailedError;
  console.error(known ? (error as Error).message : error);
  process.exitCode = 1;
});
