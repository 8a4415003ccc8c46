/**
 * The server secret: AUTH_SECRET when configured, else one generated on first start and stored
 * in the settings table (shared by every instance on the database). Sessions are signed with it;
 * the audit chain's key is derived from it (lib/server/audit/chain-key.ts).
 */
import { randomBytes } from "node:crypto";
import { getEnv } from "../../env";
import { db } from "../db";
import { singleton } from "../singleton";

const SETTING_KEY = "auth.secret";

/** The stored secret, created if absent (idempotent across instances). */
export async function ensureStoredSecret(): Promise<string> {
  const existing = await db.setting.findUnique({ where: { key: SETTING_KEY } });
  if (existing) return existing.value as string;
  const secret = randomBytes(32).toString("base64url");
  await db.setting.upsert({ where: { key: SETTING_KEY }, create: { key: SETTING_KEY, value: secret }, update: {} });
  return ((await db.setting.findUniqueOrThrow({ where: { key: SETTING_KEY } })).value as string) ?? secret;
}

/** A stored secret never changes once created, so it is read once per process. */
export async function serverSecret(): Promise<string> {
  const configured = getEnv().AUTH_SECRET;
  if (configured) return configured;
  const cached = singleton("storedServerSecret", () => ({ value: null as string | null }));
  return (cached.value ??= await ensureStoredSecret());
}
