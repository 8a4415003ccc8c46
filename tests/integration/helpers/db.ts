/**
 * Database helpers for integration tests. The run's migrated database comes from
 * tests/integration/global-setup.ts; scratch databases are fresh, EMPTY databases on the same
 * server for tests that must not touch the shared one.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** URL of this run's migrated database (also in process.env.ROLLGATE_TEST_DATABASE_URL). */
export function testDatabaseUrl(): string {
  return inject("databaseUrl");
}

/** Connects, runs `fn`, always disconnects. */
export async function withPgClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `<prefix>_<yyyymmddhhmmss>_<6 hex>`, lowercased to a plain identifier (≤ 63 bytes). */
export function uniqueDatabaseName(prefix: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 40);
  return `${clean}_${stamp}_${randomBytes(3).toString("hex")}`;
}

/** The URL of database `name` on the server `adminUrl` points at. */
export function databaseUrlOn(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withPgClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  return databaseUrlOn(adminUrl, name);
}

/** Terminates the database's sessions first, since DROP DATABASE refuses while any are open. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withPgClient(adminUrl, async (c) => {
    await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
    await c.query(`DROP DATABASE IF EXISTS "${name}"`);
  });
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the run's server; `drop()` removes it. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = uniqueDatabaseName(`rollgate_scratch_${prefix}`);
  const url = await createDatabase(adminUrl, name);
  return { url, drop: () => dropDatabase(adminUrl, name) };
}
