/**
 * The server secret: AUTH_SECRET when configured, else one generated on first start and stored
 * in the settings table (shared by every instance on the database). Sessions are signed with it;
 * the audit chain's key is derived from it (lib/server/audit/chain-key.ts).
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { getEnv } from "../../env";
import { db, type DbOrTx } from "../db";
import { singleton } from "../singleton";

const SETTING_KEY = "auth.secret";

/** The stored secret, created if absent (idempotent across instances). */
export async function ensureStoredSecret(client: DbOrTx = db): Promise<string> {
  const existing = await client.setting.findUnique({ where: { key: SETTING_KEY } });
  if (existing) return existing.value as string;
  const secret = randomBytes(32).toString("base64url");
  await client.setting.upsert({ where: { key: SETTING_KEY }, create: { key: SETTING_KEY, value: secret }, update: {} });
  return ((await client.setting.findUniqueOrThrow({ where: { key: SETTING_KEY } })).value as string) ?? secret;
}

/**
 * A stored secret never changes once created, so it is read once per process. Callers inside a
 * transaction pass it: a read on another connection would wait for that transaction on the
 * embedded database (one session), and a secret created in a transaction that then rolls back
 * must not be remembered, so only reads through the shared client are cached.
 */
export async function serverSecret(client: DbOrTx = db): Promise<string> {
  const configured = getEnv().AUTH_SECRET;
  if (configured) return configured;
  const cached = singleton("storedServerSecret", () => ({ value: null as string | null }));
  if (cached.value) return cached.value;
  const value = await ensureStoredSecret(client);
  if (client === db) cached.value = value;
  return value;
}
