/**
 * Vitest globalSetup for the integration project: gives every run its own migrated database.
 *
 * Server choice, first match wins:
 *   1. TEST_DATABASE_URL            (a maintenance URL on the server to use, e.g. …/postgres)
 *   2. DATABASE_URL                 (through lib/env.ts)
 *   3. postgresql://postgres@127.0.0.1:5432/postgres, if it answers within 2 s
 * else the run fails, saying so. There is no embedded (PGlite) fallback: PGlite runs one
 * transaction at a time, and these tests rely on a server's concurrency (simultaneous commands,
 * advisory locks, NOTIFY across connections).
 * A fresh database `rollgate_test_<yyyymmddhhmmss>_<random>` is created, migrated and dropped at
 * teardown.
 *
 * Tests read the URL with `inject("databaseUrl")` (or process.env.ROLLGATE_TEST_DATABASE_URL).
 */
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { getEnv } from "../../lib/env";
import { migrateDatabase } from "../../lib/server/db/migrate";
import { createDatabase, dropDatabase, uniqueDatabaseName } from "./helpers/db";

declare module "vitest" {
  export interface ProvidedContext {
    /** This run's migrated database. */
    databaseUrl: string;
    /** Maintenance URL of the same server, for tests that create extra databases. */
    adminDatabaseUrl: string;
  }
}

const LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres";
/** Databases left behind by killed runs are dropped once they are this old. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

async function answers(url: string, timeoutMs: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function chooseServer(): Promise<string> {
  const explicit = process.env.TEST_DATABASE_URL || getEnv().DATABASE_URL;
  if (explicit) return explicit;
  if (await answers(LOCAL_POSTGRES, 2000)) return LOCAL_POSTGRES;
  throw new Error(
    "The integration tests need a Postgres server, and none was found: set TEST_DATABASE_URL (or DATABASE_URL) " +
      `to a maintenance URL such as postgresql://user:password@host:5432/postgres, or run Postgres at ${LOCAL_POSTGRES}. ` +
      "The role must be allowed to create databases.",
  );
}

/** Best effort: removes test databases whose name says they are older than a day. */
async function dropStaleDatabases(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname ~ '^rollgate_(test|scratch)_.*[0-9]{14}_[0-9a-f]{6}$'");
    for (const { datname } of rows) {
      const stamp = /(\d{14})_[0-9a-f]{6}$/.exec(datname)?.[1] ?? "";
      const created = Date.parse(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}Z`);
      if (Date.now() - created > STALE_AFTER_MS) await dropDatabase(adminUrl, datname).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = await chooseServer();
  await dropStaleDatabases(adminUrl).catch(() => {});
  const name = uniqueDatabaseName("rollgate_test");
  const databaseUrl = await createDatabase(adminUrl, name);
  const teardown = () => dropDatabase(adminUrl, name);
  project.provide("adminDatabaseUrl", adminUrl);

  try {
    await migrateDatabase({ databaseUrl, migrationsDir: path.resolve(import.meta.dirname, "../../prisma/migrations") });
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide("databaseUrl", databaseUrl);
  process.env.ROLLGATE_TEST_DATABASE_URL = databaseUrl;
  return teardown;
}
