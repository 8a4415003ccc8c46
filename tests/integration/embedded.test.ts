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
      await Promise.all(Array.from({ length: 20 }, (_, i) => pool.query(`INSERT INTO "environments" ("id", "key", "name") VALUES ($1, $1, 'pool test')`, [`pool-${i}`])));
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

  test("parameterized queries and transactions of many connections at once never mix their messages", async () => {
    // Each query is Parse/Bind/Describe/Execute/Sync on the one PGlite session. pglite-socket
    // alone let another connection's messages in between them (around transactions most of
    // all): Bind then failed or ran another connection's statement (lib/server/db/pglite-queue.ts).
    const pool = new pg.Pool({ connectionString: server!.url, max: 8 });
    try {
      await pool.query(`CREATE TEMP TABLE IF NOT EXISTS mix (id int PRIMARY KEY, v text)`);
      const jobs = Array.from({ length: 800 }, async (_, i): Promise<string | null> => {
        if (i % 4 === 0) {
          const client = await pool.connect();
          try {
            await client.query("BEGIN");
            await client.query("INSERT INTO mix VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET v = $2", [i, `v${i}`]);
            await client.query("COMMIT");
          } finally {
            client.release();
          }
          return null;
        }
        if (i % 4 === 1) {
          const { rows } = await pool.query<{ v: number }>("SELECT $1::int + $2::int + $3::int AS v", [i, 1, 2]);
          return rows[0]?.v === i + 3 ? null : `sum ${i}: ${JSON.stringify(rows)}`;
        }
        if (i % 4 === 2) {
          const { rows } = await pool.query<{ v: string }>("SELECT $1::text AS v", [`text-${i}`]);
          return rows[0]?.v === `text-${i}` ? null : `text ${i}: ${JSON.stringify(rows)}`;
        }
        const { rows } = await pool.query<{ v: number }>("SELECT count(*)::int AS v FROM mix WHERE id = $1 OR id = $2 OR v = $3 OR v = $4", [0, 4, "a", "b"]);
        return typeof rows[0]?.v === "number" ? null : `count ${i}: ${JSON.stringify(rows)}`;
      });
      const outcomes = await Promise.all(jobs.map((job) => job.catch((e: Error) => e.message)));
      expect(outcomes.filter((o) => o !== null)).toEqual([]);
      expect((await pool.query("SELECT count(*)::int AS n FROM mix")).rows[0].n).toBe(200);
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
    const count = await withPgClient(server.url, (c) => c.query(`SELECT count(*)::int AS n FROM "environments" WHERE "name" = 'pool test'`));
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
    await expect(startEmbeddedPostgres({ dataDir, port: 0 })).rejects.toThrow(new RegExp(`in use by process ${process.ppid}`));
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
