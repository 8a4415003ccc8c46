/**
 * The embedded default database: PGlite (PostgreSQL compiled to WASM) served on a loopback port
 * by `@electric-sql/pglite-socket`, so the app, the migration runner and Prisma's `pg` adapter use
 * the same code path as with a real server.
 *
 * Limits of PGlite behind the socket: all connections share ONE database session (queries are
 * queued; a transaction, and each query's extended-protocol exchange (./pglite-queue.ts), holds
 * the queue until it ends), advisory locks therefore do not exclude other connections, and
 * LISTEN on one connection does not receive NOTIFY from another.
 */
import "server-only";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { keepExchangesTogether } from "./pglite-queue";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export interface EmbeddedPostgres {
  /** `postgresql://postgres:postgres@<host>:<port>/postgres?sslmode=disable` */
  url: string;
  port: number;
  /** Closes client sockets, stops listening, flushes and closes PGlite, releases the dir lock. */
  stop(): Promise<void>;
}

/**
 * Connections the socket server accepts at once (more are refused, which clients see as "Server
 * has closed the connection"). They all share one PGlite session, so this only has to exceed
 * what one instance opens: the Prisma pool (10), the evaluator's leader-lock connection, the
 * config listener, and headroom for scripts.
 */
export const EMBEDDED_MAX_CONNECTIONS = 32;

/**
 * Starts PGlite with its data in `<dataDir>/pglite` (created when missing, reused otherwise).
 * `port` 0 or absent picks a free port. Throws when another live process holds the same dataDir,
 * because two PGlite instances writing one directory corrupt it.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; host?: string }): Promise<EmbeddedPostgres> {
  const host = opts.host ?? "127.0.0.1";
  const pgliteDir = path.join(path.resolve(opts.dataDir), "pglite");
  await mkdir(pgliteDir, { recursive: true });
  const releaseLock = await lockDataDir(path.join(path.resolve(opts.dataDir), "pglite.pid"));

  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGlite.create({ dataDir: pgliteDir });
    server = new PGLiteSocketServer({
      db,
      host,
      port: opts.port ?? 0,
      maxConnections: EMBEDDED_MAX_CONNECTIONS,
    });
    keepExchangesTogether(server);
    await server.start();
  } catch (error) {
    await server?.stop().catch(() => {});
    await db?.close().catch(() => {});
    await releaseLock();
    throw error;
  }

  // getServerConn() is "<host>:<port>" with the port the OS assigned.
  const port = Number(server.getServerConn().split(":").pop());
  const runningDb = db;
  const runningServer = server;
  let stopped: Promise<void> | undefined;
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    port,
    stop() {
      stopped ??= (async () => {
        await runningServer.stop();
        // Socket handlers detach asynchronously (rolling back an open transaction); let them finish.
        await new Promise((resolve) => setTimeout(resolve, 20));
        await runningDb.close();
        await releaseLock();
      })();
      return stopped;
    },
  };
}

/** Lock files this process holds (a file naming our pid but not listed here is stale, e.g. PID 1 in a restarted container). */
const heldLocks = new Set<string>();

/** A pid file taken with O_EXCL; a file left by a dead process is taken over. */
async function lockDataDir(lockPath: string): Promise<() => Promise<void>> {
  if (heldLocks.has(lockPath)) {
    throw new Error(`The embedded database in ${path.dirname(lockPath)} is already open in this process.`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: "wx" });
      heldLocks.add(lockPath);
      return async () => {
        heldLocks.delete(lockPath);
        await rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded database in ${path.dirname(lockPath)} is in use by process ${holder}; stop it ` +
            `first, or set DATABASE_URL to use a PostgreSQL server. (If no such process uses it, delete ${lockPath}.)`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
