/**
 * The embedded default (PGlite behind a loopback socket) must be the same database as a real
 * server as far as the app can tell: same migrations, same schema, pooled `pg` access, and data
 * that survives a restart. The tests below run in order on one data directory.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../lib/server/db/embedded";
import { migrateDatabase } from "../../lib/server/db/migrate";
import { withPgClient } from "./helpers/db";
import { schemaDrift } from "./helpers/schema-compare";

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");
const ALL = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort((a, b) => a.localeCompare(b));

describe("embedded PGlite database", () => {
  let dataDir: string;
  let server: EmbeddedPostgres | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "rollgate-embedded-"));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("starts on a free loopback port and takes every migration", async () => {
    server = await startEmbeddedPostgres({ dataDir, port: 0 });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`postgresql://postgres:postgres@127.0.0.1:${server.port}/postgres?sslmode=disable`);
    expect(await migrateDatabase({ databaseUrl: server.url, migrationsDir: MIGRATIONS_DIR })).toEqual({
      applied: ALL,
      alreadyApplied: [],
    });
  });

  test("matches schema.prisma exactly like the real server does", async () => {
    expect(await withPgClient(server!.url, (client) => schemaDrift(client))).toEqual([]);
  });

  test("serves a pg.Pool of 4: concurrent writes, and a transaction others cannot see until commit", async () => {
    const pool = new pg.Pool({ connectionString: server!.url, max: 4 });
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          pool.query(`INSERT INTO "environments" ("id", "key", "name") VALUES ($1, $1, 'pool test')`, [`pool-${i}`]),
        ),
      );
      const tx = await pool.connect();
      try {
        await tx.query("BEGIN");
        await tx.query(`INSERT INTO "environments" ("id", "key", "name") VALUES ('in-tx', 'in-tx', 'tx')`);
        // PGlite has one session for all connections: the socket server must hold other
        // connections' queries until the transaction ends, or they would run inside it.
        let settled = false;
        const concurrent = pool.query(`SELECT count(*)::int AS n FROM "environments"`);
        void concurrent.then(() => (settled = true));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(settled).toBe(false);
        await tx.query("ROLLBACK");
        expect((await concurrent).rows[0].n).toBe(20);
      } finally {
        tx.release();
      }
      const count = await pool.query(`SELECT count(*)::int AS n FROM "environments"`);
      expect(count.rows[0].n).toBe(20);
    } finally {
      await pool.end();
    }
  });

  test("refuses a second start on a data directory that is open", async () => {
    await expect(startEmbeddedPostgres({ dataDir, port: 0 })).rejects.toThrow(/already open in this process/);
  });

  test("keeps its data across a stop and a new start, and needs no migration then", async () => {
    await server!.stop();
    server = await startEmbeddedPostgres({ dataDir, port: 0 });
    const count = await withPgClient(server.url, (c) =>
      c.query(`SELECT count(*)::int AS n FROM "environments" WHERE "name" = 'pool test'`),
    );
    expect(count.rows[0].n).toBe(20);
    expect(await migrateDatabase({ databaseUrl: server.url, migrationsDir: MIGRATIONS_DIR })).toEqual({
      applied: [],
      alreadyApplied: ALL,
    });
  });
});

describe("embedded data directory lock", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "rollgate-embedded-lock-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  test("refuses a directory another live process holds", async () => {
    await writeFile(path.join(dataDir, "pglite.pid"), String(process.ppid));
    await expect(startEmbeddedPostgres({ dataDir, port: 0 })).rejects.toThrow(
      new RegExp(`in use by process ${process.ppid}`),
    );
  });

  test("takes over a lock left by a process that has exited, and releases it on stop", async () => {
    const exited = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(path.join(dataDir, "pglite.pid"), String(exited));
    const server = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      expect(await withPgClient(server.url, async (c) => (await c.query("SELECT 1 AS one")).rows[0].one)).toBe(1);
    } finally {
      await server.stop();
    }
    await expect(stat(path.join(dataDir, "pglite.pid"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
