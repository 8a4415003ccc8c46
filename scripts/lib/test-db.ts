/**
 * Where the end-to-end, fuzz and benchmark runs get their Postgres: TEST_DATABASE_URL, else
 * DATABASE_URL, else the local server on 127.0.0.1:5432 if it answers; no server is an error
 * (no embedded PGlite: it runs one transaction at a time). Every run gets a fresh database.
 */
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export async function answers(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The server to create test databases on; throws, saying how to name one, when there is none. */
export async function testServerUrl(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const explicit = env.TEST_DATABASE_URL ?? env.DATABASE_URL;
  if (explicit) return explicit;
  if (await answers(LOCAL_POSTGRES_URL)) return LOCAL_POSTGRES_URL;
  throw new Error(
    "No Postgres server for the tests: set TEST_DATABASE_URL (or DATABASE_URL) to a maintenance URL such as " +
      `postgresql://user:password@host:5432/postgres, or run Postgres at ${LOCAL_POSTGRES_URL}.`,
  );
}

/** Where scripts/e2e-server.ts leaves the URL of the database of the e2e app on `port`. */
export function e2eDatabaseUrlFile(port: string): string {
  return path.join(os.tmpdir(), `rollgate-e2e-${port}.database-url`);
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function freshDatabaseName(prefix: string): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:TZ.]/g, "")
    .slice(0, 14);
  return `${prefix}_${stamp}_${Math.random().toString(36).slice(2, 8)}`;
}

export interface FreshDatabase {
  name: string;
  url: string;
  /** The server's maintenance database URL (for creating more databases). */
  adminUrl: string;
  drop(): Promise<void>;
}

export async function createFreshDatabase(prefix: string): Promise<FreshDatabase> {
  const server = await testServerUrl();
  const name = freshDatabaseName(prefix);
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(server, name),
    adminUrl: server,
    drop: () => dropDatabase(server, name),
  };
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  } finally {
    await admin.end();
  }
}
