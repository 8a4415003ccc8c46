/**
 * The offline migration runner (lib/server/db/migrate.ts) and the database-side guarantees of
 * prisma/migrations/20261124000100_audit_append_only.
 */
import { randomUUID } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { MigrationFailedError, MigrationRefusedError, markMigrationRolledBack, migrateDatabase, migrationChecksum } from "../../lib/server/db/migrate";
import { createScratchDatabase, testDatabaseUrl, withPgClient, type ScratchDatabase } from "./helpers/db";

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");
/** Every migration in the repository, in the order the runner applies them. */
const ALL = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort((a, b) => a.localeCompare(b));
const INIT = "20261124000000_init";
const AUDIT = "20261124000100_audit_append_only";
/** Sorts after any real migration. */
const PROBE = "99991231000000_probe";

async function tableExists(url: string, table: string): Promise<boolean> {
  return withPgClient(url, async (c) => (await c.query("SELECT to_regclass($1) AS t", [table])).rows[0].t !== null);
}

async function migrationRows(url: string) {
  return withPgClient(url, async (c) => {
    const { rows } = await c.query<{
      id: string;
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      logs: string | null;
      applied_steps_count: number;
    }>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`);
    return rows;
  });
}

describe("migrateDatabase on the run's database", () => {
  test("a second run applies nothing", async () => {
    const result = await migrateDatabase({ databaseUrl: testDatabaseUrl(), migrationsDir: MIGRATIONS_DIR });
    expect(result).toEqual({ applied: [], alreadyApplied: ALL });
  });

  test("records each migration as Prisma does: sha256 of the file, finished, one step", async () => {
    const rows = await migrationRows(testDatabaseUrl());
    const expected = await Promise.all(
      ALL.map(async (name) => ({
        migration_name: name,
        checksum: migrationChecksum(await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"))),
        finished: true,
        rolled_back_at: null,
        logs: null,
        applied_steps_count: 1,
      })),
    );
    expect(rows.map((r) => ({ ...r, id: undefined, started_at: undefined, finished: r.finished_at !== null, finished_at: undefined }))).toEqual(
      expected.map((e) => ({ ...e, id: undefined, started_at: undefined, finished_at: undefined })),
    );
    for (const row of rows) expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test("_prisma_migrations has Prisma's columns, types, nullability and defaults", async () => {
    const columns = await withPgClient(
      testDatabaseUrl(),
      async (c) =>
        (
          await c.query(`
          SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
                 pg_get_expr(d.adbin, d.adrelid) AS default
            FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attrelid = '"_prisma_migrations"'::regclass AND a.attnum > 0 AND NOT a.attisdropped
           ORDER BY a.attnum`)
        ).rows,
    );
    expect(columns).toEqual([
      { name: "id", type: "character varying(36)", not_null: true, default: null },
      { name: "checksum", type: "character varying(64)", not_null: true, default: null },
      { name: "finished_at", type: "timestamp with time zone", not_null: false, default: null },
      { name: "migration_name", type: "character varying(255)", not_null: true, default: null },
      { name: "logs", type: "text", not_null: false, default: null },
      { name: "rolled_back_at", type: "timestamp with time zone", not_null: false, default: null },
      { name: "started_at", type: "timestamp with time zone", not_null: true, default: "now()" },
      { name: "applied_steps_count", type: "integer", not_null: true, default: "0" },
    ]);
  });
});

describe("migrateDatabase history checks (scratch database, copied migrations)", () => {
  let scratch: ScratchDatabase;
  let dir: string;
  const migrate = () => migrateDatabase({ databaseUrl: scratch.url, migrationsDir: dir });
  const writeMigration = async (name: string, sql: string) => {
    await mkdir(path.join(dir, name), { recursive: true });
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  };

  beforeEach(async () => {
    scratch = await createScratchDatabase("migrate");
    dir = await mkdtemp(path.join(os.tmpdir(), "rollgate-migrations-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
  });
  afterEach(async () => {
    await scratch?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test("a fresh database gets every migration, in name order; migration_lock.toml is not one", async () => {
    expect(await readdir(dir)).toContain("migration_lock.toml");
    expect(ALL.slice(0, 2)).toEqual([INIT, AUDIT]);
    expect(await migrate()).toEqual({ applied: ALL, alreadyApplied: [] });
  });

  test("an applied migration whose file changed is refused, and nothing is applied", async () => {
    await migrate();
    await writeFile(path.join(dir, INIT, "migration.sql"), "-- edited\n", { flag: "a" });
    await writeMigration(PROBE, `CREATE TABLE "probe_after_edit" ("id" INTEGER);`);

    const error = await migrate().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationRefusedError);
    expect((error as MigrationRefusedError).problems).toEqual([expect.stringMatching(new RegExp(`^migration ${INIT} was modified after it was applied`))]);
    expect(await tableExists(scratch.url, "probe_after_edit")).toBe(false);
    expect((await migrationRows(scratch.url)).map((r) => r.migration_name)).toEqual(ALL);
  });

  test("converting line endings alone is not a change (Prisma accepts either)", async () => {
    await migrate();
    const file = path.join(dir, INIT, "migration.sql");
    await writeFile(file, (await readFile(file, "utf8")).replace(/\n/g, "\r\n"));
    expect(await migrate()).toEqual({ applied: [], alreadyApplied: ALL });
  });

  test("an applied migration missing locally is refused, and nothing is applied", async () => {
    await migrate();
    await rm(path.join(dir, AUDIT), { recursive: true });
    await writeMigration(PROBE, `CREATE TABLE "probe_after_removal" ("id" INTEGER);`);

    await expect(migrate()).rejects.toThrow(new RegExp(`migration ${AUDIT} is applied in the database but missing locally`));
    expect(await tableExists(scratch.url, "probe_after_removal")).toBe(false);
  });

  test("a failing migration rolls back entirely; later runs refuse until it is marked rolled back", async () => {
    await writeMigration(PROBE, `CREATE TABLE "probe_broken" ("id" INTEGER);\nINSERT INTO "no_such_table" VALUES (1);\n`);

    const failure = await migrate().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationFailedError);
    expect((failure as Error).message).toMatch(/relation "no_such_table" does not exist \(at line 2\)/);
    expect((failure as Error).message).toContain(`--rolled-back ${PROBE}`);
    expect(await tableExists(scratch.url, "probe_broken")).toBe(false);
    const failedRow = (await migrationRows(scratch.url)).find((r) => r.migration_name === PROBE);
    expect(failedRow).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(failedRow?.logs).toMatch(/no_such_table/);

    // Fixing the file is not enough: the failed attempt must be acknowledged first.
    await writeMigration(PROBE, `CREATE TABLE "probe_broken" ("id" INTEGER);\n`);
    await expect(migrate()).rejects.toThrow(new RegExp(`migration ${PROBE} failed or is still running`));
    expect(await tableExists(scratch.url, "probe_broken")).toBe(false);

    await markMigrationRolledBack({ databaseUrl: scratch.url, migrationName: PROBE });
    expect(await migrate()).toEqual({ applied: [PROBE], alreadyApplied: ALL });
    expect(await tableExists(scratch.url, "probe_broken")).toBe(true);
    const probeRows = (await migrationRows(scratch.url)).filter((r) => r.migration_name === PROBE);
    expect(probeRows.map((r) => [r.finished_at !== null, r.rolled_back_at !== null])).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  test("a migration folder without migration.sql is refused before anything runs", async () => {
    await mkdir(path.join(dir, PROBE));
    await expect(migrate()).rejects.toThrow(/every migration folder needs one/);
    expect(await tableExists(scratch.url, "_prisma_migrations")).toBe(false);
  });

  test("marking a migration rolled back requires a recorded failure", async () => {
    await migrate();
    await expect(markMigrationRolledBack({ databaseUrl: scratch.url, migrationName: INIT })).rejects.toThrow(/No failed attempt/);
  });

  test("concurrent runners apply each migration exactly once", async () => {
    const results = await Promise.all([migrate(), migrate(), migrate()]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(ALL);
    for (const r of results) expect([...r.applied, ...r.alreadyApplied].sort()).toEqual(ALL);
    expect((await migrationRows(scratch.url)).map((r) => r.migration_name)).toEqual(ALL);
  });
});

describe("database guarantees", () => {
  const insertAudit = `INSERT INTO "audit_records"
      ("actor_type", "actor_id", "actor_label", "actor_roles", "action", "resource_type", "resource_id", "prev_hash", "hash")
    VALUES ('system', 'system', 'system', '{}', 'test.append_only', 'test', '1', '', $1) RETURNING "id"`;

  // Each case runs in a transaction that is rolled back, leaving the shared database untouched.
  test.each([
    ["UPDATE", `UPDATE "audit_records" SET "action" = 'tampered'`],
    ["DELETE", `DELETE FROM "audit_records"`],
    ["TRUNCATE", `TRUNCATE "audit_records"`],
  ])("audit_records refuses %s with SQLSTATE RG001", async (_op, statement) => {
    await withPgClient(testDatabaseUrl(), async (c) => {
      await c.query("BEGIN");
      try {
        const inserted = await c.query(insertAudit, [randomUUID()]);
        expect(inserted.rowCount).toBe(1);
        await expect(c.query(statement)).rejects.toMatchObject({
          code: "RG001",
          message: "audit_records is append-only",
        });
      } finally {
        await c.query("ROLLBACK");
      }
    });
  });

  test("a flag has at most one live rollout; drafts and finished ones do not count", async () => {
    await withPgClient(testDatabaseUrl(), async (c) => {
      await c.query("BEGIN");
      try {
        const env = randomUUID();
        const flag = randomUUID();
        await c.query(`INSERT INTO "environments" ("id", "key", "name") VALUES ($1, $1, 'live-rollout test')`, [env]);
        await c.query(
          `INSERT INTO "flags" ("id", "environment_id", "key", "variants", "default_variant", "fallback_variant", "salt", "updated_at")
           VALUES ($1, $2, 'f', '[]', 'a', 'a', 's', now())`,
          [flag, env],
        );
        const insertRollout = (state: string) =>
          c.query(
            `INSERT INTO "rollouts" ("id", "environment_id", "flag_id", "strategy", "state", "control_variant",
               "treatment_variant", "salt", "created_by_id", "updated_at")
             VALUES ($1, $2, $3, 'canary', $4, 'a', 'b', 's', 'u', now())`,
            [randomUUID(), env, flag, state],
          );
        await insertRollout("running");
        await insertRollout("draft");
        await insertRollout("completed");
        await c.query("SAVEPOINT second_live");
        await expect(insertRollout("paused")).rejects.toMatchObject({
          code: "23505",
          constraint: "rollouts_one_active_per_flag",
        });
        await c.query("ROLLBACK TO SAVEPOINT second_live");
      } finally {
        await c.query("ROLLBACK");
      }
    });
  });

  // Committed bumps notify; a rolled-back bump and an update that leaves the version alone do not.
  const notifyScenario = [
    { sql: `INSERT INTO "environments" ("id", "key", "name") VALUES ($1, $1, 'notify test')` },
    { sql: `UPDATE "environments" SET "config_version" = "config_version" + 1 WHERE "id" = $1` },
    { sql: `UPDATE "environments" SET "name" = 'renamed', "config_version" = "config_version" WHERE "id" = $1` },
    { sql: `UPDATE "environments" SET "config_version" = "config_version" + 1 WHERE "id" = $1`, rollback: true },
    { sql: `UPDATE "environments" SET "config_version" = "config_version" + 1 WHERE "id" = $1` },
  ];

  test("config_version changes notify listeners on 'rollgate_config' at commit", async () => {
    const env = randomUUID();
    const payloads = await notificationsOverPostgres(testDatabaseUrl(), env);
    expect(payloads.map((p) => JSON.parse(p)).filter((p) => p.environmentId === env)).toEqual([
      { environmentId: env, version: 1 },
      { environmentId: env, version: 2 },
    ]);
  });

  /** A LISTEN on one connection, the changes on another: what the app relies on with Postgres. */
  async function notificationsOverPostgres(url: string, env: string): Promise<string[]> {
    const payloads: string[] = [];
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    try {
      listener.on("notification", (n) => n.channel === "rollgate_config" && payloads.push(n.payload ?? ""));
      await listener.query("LISTEN rollgate_config");
      await withPgClient(url, async (writer) => {
        for (const step of notifyScenario) {
          if (step.rollback) await writer.query("BEGIN");
          await writer.query(step.sql, [env]);
          if (step.rollback) await writer.query("ROLLBACK");
        }
        await writer.query(`DELETE FROM "environments" WHERE "id" = $1`, [env]);
      });
      const deadline = Date.now() + 5000;
      while (payloads.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200)); // room for an unexpected third notification
      return payloads;
    } finally {
      await listener.end();
    }
  }
});
