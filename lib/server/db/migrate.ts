/**
 * Applies prisma/migrations/<name>/migration.sql files with plain `pg`, because the Prisma CLI
 * cannot run migrations offline (it needs its native schema-engine). The bookkeeping table is
 * Prisma's own `_prisma_migrations`, written the way Prisma writes it, so `prisma migrate
 * status|deploy` on a machine with the engine agree with what this runner did.
 *
 * Each migration runs in one transaction with its bookkeeping row, so statements that cannot run
 * inside a transaction (CREATE INDEX CONCURRENTLY, VACUUM) do not belong in a migration; Prisma
 * sends a script as one multi-statement query, which PostgreSQL also runs as one transaction.
 *
 * Deliberately free of the Prisma client and of "server-only": scripts and tests call it directly.
 */
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { ADVISORY_LOCKS } from "./advisory-locks";

/** The advisory lock key Prisma Migrate holds while migrating; sharing it serializes us with Prisma too. */
export const MIGRATION_LOCK_KEY = ADVISORY_LOCKS.migrations;

/** Prisma's DDL for its bookkeeping table, column for column. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateOptions {
  databaseUrl: string;
  /** Defaults to `<cwd>/prisma/migrations` (scripts run from the repository root). */
  migrationsDir?: string;
  log?: (line: string) => void;
  /** How long to wait for another runner's lock before giving up; default 60 000 ms. */
  lockTimeoutMs?: number;
}

export interface MigrateResult {
  /** Migrations this call applied, in order. */
  applied: string[];
  /** Local migrations that were already applied (possibly by a concurrent runner). */
  alreadyApplied: string[];
}

/** Thrown when the database's migration history disagrees with the files; nothing was applied. */
export class MigrationRefusedError extends Error {
  constructor(readonly problems: string[]) {
    super(`Refusing to migrate; nothing was applied:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "MigrationRefusedError";
  }
}

/** Thrown when a migration's SQL fails; its transaction was rolled back and a failed row recorded. */
export class MigrationFailedError extends Error {
  constructor(
    readonly migrationName: string,
    detail: string,
    cause: unknown,
  ) {
    super(
      `Migration ${migrationName} failed and was rolled back (nothing from it was applied): ${detail}\n` +
        `Fix prisma/migrations/${migrationName}/migration.sql, then mark the attempt rolled back with ` +
        `\`npm run db:migrate -- --rolled-back ${migrationName}\` ` +
        `(same as \`prisma migrate resolve --rolled-back ${migrationName}\`) and run again.`,
      { cause },
    );
    this.name = "MigrationFailedError";
  }
}

interface LocalMigration {
  name: string;
  script: string;
  checksum: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** SHA-256 of the script bytes as lowercase hex, exactly as Prisma records it. */
export function migrationChecksum(script: string | Buffer): string {
  return createHash("sha256").update(script).digest("hex");
}

/** Prisma accepts a checksum taken with either line-ending convention (git may convert them). */
function checksumMatches(script: string, recorded: string): boolean {
  return [script, script.replace(/\r\n/g, "\n"), script.replace(/\r?\n/g, "\r\n")].some((variant) => migrationChecksum(variant) === recorded);
}

async function readLocalMigrations(dir: string): Promise<LocalMigration[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new Error(`Cannot read migrations directory ${dir}: ${(error as Error).message}`);
  }
  // Same order as Prisma's CLI, which sorts the folder names with localeCompare.
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
  const migrations: LocalMigration[] = [];
  for (const name of names) {
    const file = path.join(dir, name, "migration.sql");
    const bytes = await readFile(file).catch((error: Error) => {
      throw new Error(`Cannot read ${file} (every migration folder needs one): ${error.message}`);
    });
    migrations.push({ name, script: bytes.toString("utf8"), checksum: migrationChecksum(bytes) });
  }
  return migrations;
}

/** Compares history and files; every disagreement is a reason to refuse. */
function findProblems(local: LocalMigration[], rows: MigrationRow[]): string[] {
  const problems: string[] = [];
  const byName = new Map(local.map((m) => [m.name, m]));
  for (const row of rows) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      problems.push(
        `migration ${row.migration_name} failed or is still running (finished_at is empty). ` +
          `Fix it, then run \`npm run db:migrate -- --rolled-back ${row.migration_name}\` ` +
          `(or \`prisma migrate resolve --rolled-back ${row.migration_name}\`).`,
      );
      continue;
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      problems.push(`migration ${row.migration_name} is applied in the database but missing locally.`);
    } else if (!checksumMatches(file.script, row.checksum)) {
      problems.push(
        `migration ${row.migration_name} was modified after it was applied ` +
          `(recorded checksum ${row.checksum}, file has ${file.checksum}). Restore the file; ` +
          `put new changes in a new migration.`,
      );
    }
  }
  return problems;
}

function describePgError(error: unknown, script: string): string {
  const e = error as { message?: string; position?: string };
  const message = e.message ?? String(error);
  const position = Number(e.position);
  if (!position) return message;
  const line = script.slice(0, position - 1).split("\n").length;
  return `${message} (at line ${line})`;
}

async function acquireLock(client: pg.Client, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [MIGRATION_LOCK_KEY]);
    if (rows[0]?.locked) return;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for advisory lock ${MIGRATION_LOCK_KEY}; ` + `another migration runner is still working on this database.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Applies pending migrations in name order, each in its own transaction together with its
 * `_prisma_migrations` row. Refuses (MigrationRefusedError, nothing applied) when an applied
 * migration's file changed or vanished, or a failed/unfinished attempt is recorded. A failing
 * migration is rolled back, recorded as failed (finished_at empty, error in `logs`) and reported
 * with MigrationFailedError; later runs refuse until it is marked rolled back.
 */
export async function migrateDatabase(opts: MigrateOptions): Promise<MigrateResult> {
  const dir = opts.migrationsDir ?? path.join(process.cwd(), "prisma", "migrations");
  const log = opts.log ?? (() => {});
  const local = await readLocalMigrations(dir);

  const client = new pg.Client({ connectionString: opts.databaseUrl, application_name: "rollgate-migrate" });
  await client.connect();
  try {
    await acquireLock(client, opts.lockTimeoutMs ?? 60_000);
    try {
      return await applyPending(client, local, log);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

async function applyPending(client: pg.Client, local: LocalMigration[], log: (line: string) => void): Promise<MigrateResult> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  const problems = findProblems(local, rows);
  if (problems.length > 0) throw new MigrationRefusedError(problems);

  const done = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  for (const migration of local) {
    if (done.has(migration.name)) {
      result.alreadyApplied.push(migration.name);
      continue;
    }
    const outcome = await applyOne(client, migration);
    if (outcome === "applied") {
      log(`Applied migration ${migration.name}`);
      result.applied.push(migration.name);
    } else {
      result.alreadyApplied.push(migration.name);
    }
  }
  if (result.applied.length === 0) log("No pending migrations.");
  return result;
}

async function applyOne(client: pg.Client, migration: LocalMigration): Promise<"applied" | "skipped"> {
  await client.query("BEGIN");
  try {
    // Re-checked inside the transaction: on PGlite every connection shares one session, so the
    // advisory lock does not exclude a second runner there, but transactions are serialized.
    const { rowCount } = await client.query(
      `SELECT 1 FROM "_prisma_migrations"
        WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      [migration.name],
    );
    if (rowCount) {
      await client.query("ROLLBACK");
      return "skipped";
    }
    await client.query(migration.script);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query("COMMIT");
    return "applied";
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const detail = describePgError(error, migration.script);
    // Recorded outside the rolled-back transaction, as Prisma does, so the next run refuses.
    await client
      .query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, applied_steps_count)
         VALUES ($1, $2, $3, $4, 0)`,
        [randomUUID(), migration.checksum, migration.name, detail],
      )
      .catch(() => {});
    throw new MigrationFailedError(migration.name, detail, error);
  }
}

/**
 * Marks a failed attempt of `migrationName` as rolled back (Prisma's `migrate resolve
 * --rolled-back`), so the next run applies the (fixed) file again. Throws when no failed
 * attempt of that name is recorded.
 */
export async function markMigrationRolledBack(opts: { databaseUrl: string; migrationName: string }): Promise<void> {
  const client = new pg.Client({ connectionString: opts.databaseUrl, application_name: "rollgate-migrate" });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      `UPDATE "_prisma_migrations" SET rolled_back_at = now()
        WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
      [opts.migrationName],
    );
    if (!rowCount) {
      throw new Error(`No failed attempt of migration ${opts.migrationName} is recorded; nothing to mark.`);
    }
  } finally {
    await client.end().catch(() => {});
  }
}
