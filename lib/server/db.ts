/**
 * The one Prisma client. Secrets (password hashes, webhook secrets, API key hashes) are omitted
 * by default: code that needs one asks for it explicitly (`omit: { passwordHash: false }`).
 */
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "../env";
import { singleton } from "./singleton";

export const OMIT_SECRETS = { user: { passwordHash: true }, webhook: { secret: true }, apiKey: { keyHash: true } } as const;

function createClient(pool: pg.Pool) {
  return new PrismaClient({ adapter: new PrismaPg(pool), omit: OMIT_SECRETS });
}

export type Db = ReturnType<typeof createClient>;

/**
 * The client and the pool under it. The pool is ours (not the adapter's) so that a hot path
 * passing large array parameters (ingestion) can query it directly: Prisma's raw-query path costs
 * several times the driver's own for such parameters. Same connections either way.
 */
function connection(): { client: Db; pool: pg.Pool } {
  return singleton("prisma", () => {
    // allowExitOnIdle: $disconnect leaves an external pool open; idle connections must not keep a script alive.
    const pool = new pg.Pool({ connectionString: databaseUrl(), max: 10, allowExitOnIdle: true });
    // An idle connection that dies (database restart, outage) leaves the pool; the next query opens another.
    pool.on("error", () => undefined);
    return { client: createClient(pool), pool };
  });
}

/** The pool under `db`, for raw statements on the hot path only; everything else uses `db`. */
export function dbPool(): pg.Pool {
  return connection().pool;
}

/** The client handed to `$transaction(async (tx) => …)` callbacks. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export function databaseUrl(): string {
  const url = getEnv().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Rollgate with `npm start`, which provides one.");
  return url;
}

export const db: Db = new Proxy({} as Db, {
  // Lazy, so importing this module never needs a database (builds, unit tests).
  get(_target, prop) {
    const client = connection().client;
    const value = Reflect.get(client, prop, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
