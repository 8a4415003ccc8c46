/**
 * The one Prisma client. Secrets (password hashes, webhook secrets, API key hashes) are omitted
 * by default: code that needs one asks for it explicitly (`omit: { passwordHash: false }`).
 */
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "../env";
import { singleton } from "./singleton";

export const OMIT_SECRETS = { user: { passwordHash: true }, webhook: { secret: true }, apiKey: { keyHash: true } } as const;

function createClient(connectionString: string) {
  const adapter = new PrismaPg({ connectionString, max: 10 });
  return new PrismaClient({ adapter, omit: OMIT_SECRETS });
}

export type Db = ReturnType<typeof createClient>;
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
    const client = singleton("prisma", () => createClient(databaseUrl()));
    const value = Reflect.get(client, prop, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
