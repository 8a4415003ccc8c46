/**
 * schema.prisma and prisma/migrations must describe the same database. The migrated test
 * database is compared with the Prisma schema in both directions; the second half proves the
 * comparison notices a single changed detail.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateDatabase } from "../../lib/server/db/migrate";
import { createScratchDatabase, testDatabaseUrl, withPgClient, type ScratchDatabase } from "./helpers/db";
import { compareSchemas, databaseSchema, expectedSchema, schemaDrift } from "./helpers/schema-compare";

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

describe("migrated database vs schema.prisma", () => {
  test("agree on every table, column, key, index, foreign key and enum", async () => {
    const drift = await withPgClient(testDatabaseUrl(), (client) => schemaDrift(client));
    expect(drift).toEqual([]);
  });

  // Spot checks that the two sides are read the way Prisma renders them, not merely alike.
  test.each([
    ["columns", "flags.rules", { type: "jsonb", nullability: "NOT NULL", default: "'[]'" }],
    ["columns", "flags.kind", { type: '"FlagKind"', nullability: "NOT NULL", default: "'json'" }],
    ["columns", "users.roles", { type: '"Role"[]', nullability: "NULL", default: "none" }],
    ["columns", "webhooks.events", { type: "text[]", nullability: "NULL", default: "none" }],
    ["columns", "audit_records.id", { type: "bigint", nullability: "NOT NULL", default: "autoincrement()" }],
    ["columns", "environments.config_version", { type: "bigint", nullability: "NOT NULL", default: "0" }],
    ["columns", "users.created_at", { type: "timestamp(3) with time zone", nullability: "NOT NULL", default: "now()" }],
    ["columns", "gate_results.value", { type: "double precision", nullability: "NULL", default: "none" }],
    ["primaryKeys", "metric_rollups", { name: "metric_rollups_pkey", columns: "(rollout_id, stage_index, arm, minute)" }],
    ["indexes", "flags_environment_id_key_key", { table: "flags", columns: "(environment_id, key)", unique: "UNIQUE", method: "btree", predicate: "none" }],
    ["indexes", "sign_in_attempts_email_attempted_at_idx", { table: "sign_in_attempts", columns: "(email, attempted_at)", unique: "non-unique", method: "btree", predicate: "none" }],
    ["foreignKeys", "webhooks.webhooks_environment_id_fkey", { columns: "(environment_id)", references: "environments(id)", onDelete: "CASCADE", onUpdate: "CASCADE" }],
    ["enums", "RolloutState", { values: "draft, running, paused, awaiting_approval, completed, rolled_back, aborted" }],
  ] as const)("%s %s reads the same from schema.prisma and the database", async (kind, key, attrs) => {
    const actual = await withPgClient(testDatabaseUrl(), (client) => databaseSchema(client));
    expect(expectedSchema()[kind].get(key)).toEqual(attrs);
    expect(actual[kind].get(key)).toEqual(attrs);
  });

  test("the partial index allowlisted for migrations exists with its predicate", async () => {
    const actual = await withPgClient(testDatabaseUrl(), (client) => databaseSchema(client));
    expect(actual.indexes.get("rollouts_one_active_per_flag")).toEqual({
      table: "rollouts",
      columns: "(flag_id)",
      unique: "UNIQUE",
      method: "btree",
      predicate: expect.stringMatching(/running.*paused.*awaiting_approval/),
    });
  });
});

describe("the comparison reports exactly what changed", () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase("drift");
    await migrateDatabase({ databaseUrl: scratch.url, migrationsDir: MIGRATIONS_DIR });
  });
  afterAll(() => scratch?.drop());

  // Each change runs in a transaction that is rolled back, so the cases do not see each other.
  test.each([
    ["a dropped default", `ALTER TABLE "flags" ALTER COLUMN "rules" DROP DEFAULT`, ["column flags.rules: default differs: expected '[]', found none"]],
    ["a column made nullable", `ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL`, ["column users.email: nullability differs: expected NOT NULL, found NULL"]],
    ["a changed type", `ALTER TABLE "gate_results" ALTER COLUMN "value" TYPE REAL`, ["column gate_results.value: type differs: expected double precision, found real"]],
    ["a changed default", `ALTER TABLE "api_keys" ALTER COLUMN "rate_limit_per_second" SET DEFAULT 10`, ["column api_keys.rate_limit_per_second: default differs: expected 1000, found 10"]],
    ["a dropped index", `DROP INDEX "rollouts_flag_id_idx"`, ["index rollouts_flag_id_idx: missing in database"]],
    [
      "an index with its columns swapped",
      `DROP INDEX "sign_in_attempts_email_attempted_at_idx";
       CREATE INDEX "sign_in_attempts_email_attempted_at_idx" ON "sign_in_attempts"("attempted_at", "email")`,
      ["index sign_in_attempts_email_attempted_at_idx: columns differs: expected (email, attempted_at), found (attempted_at, email)"],
    ],
    [
      "a unique index made non-unique",
      `DROP INDEX "users_email_key"; CREATE INDEX "users_email_key" ON "users"("email")`,
      ["index users_email_key: unique differs: expected UNIQUE, found non-unique"],
    ],
    [
      "a foreign key with another ON DELETE",
      `ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_environment_id_fkey";
       ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_environment_id_fkey" FOREIGN KEY ("environment_id")
         REFERENCES "environments"("id") ON DELETE RESTRICT ON UPDATE CASCADE`,
      ["foreign key api_keys.api_keys_environment_id_fkey: onDelete differs: expected CASCADE, found RESTRICT"],
    ],
    ["an extra enum value", `ALTER TYPE "Arm" ADD VALUE 'holdout'`, ["enum Arm: values differs: expected control, treatment, found control, treatment, holdout"]],
    ["an extra table", `CREATE TABLE "stray" ("id" INTEGER PRIMARY KEY)`, ["column stray.id: not in schema.prisma", "primary key of stray: not in schema.prisma", "table stray: not in schema.prisma"]],
    ["an extra column", `ALTER TABLE "settings" ADD COLUMN "note" TEXT`, ["column settings.note: not in schema.prisma"]],
    ["a dropped column", `ALTER TABLE "settings" DROP COLUMN "updated_at"`, ["column settings.updated_at: missing in database"]],
    ["an extra check constraint", `ALTER TABLE "flags" ADD CONSTRAINT "flags_version_positive" CHECK ("version" > 0)`, ["object constraint flags.flags_version_positive: not in schema.prisma"]],
    ["a dropped allowlisted trigger", `DROP TRIGGER "audit_records_no_truncate" ON "audit_records"`, ["object trigger audit_records.audit_records_no_truncate: allowlisted but missing in database"]],
  ])("%s", async (_name, change, differences) => {
    await withPgClient(scratch.url, async (client) => {
      await client.query("BEGIN");
      try {
        await client.query(change);
        expect(compareSchemas(expectedSchema(), await databaseSchema(client))).toEqual(differences);
      } finally {
        await client.query("ROLLBACK");
      }
    });
  });

  test("the scratch database agrees again once every change is rolled back", async () => {
    expect(await withPgClient(scratch.url, (client) => schemaDrift(client))).toEqual([]);
  });
});
