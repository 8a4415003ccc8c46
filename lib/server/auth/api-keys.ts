/**
 * API keys: `rg_<random>`, shown once, stored as SHA-256 (keys are 192-bit random, so a fast hash
 * is safe). Lookups are cached briefly in memory; revocation clears the cache in this process
 * and other instances drop revoked keys within KEY_CACHE_MS.
 */
import { createHash, randomBytes } from "node:crypto";
import { db } from "../db";
import { singleton } from "../singleton";
import { permissionsForScopes, type ApiKeyScope } from "../../domain/auth/permissions";
import type { Actor } from "./actor";

export const KEY_CACHE_MS = 10_000;
const LAST_USED_WRITE_MS = 60_000;

export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = `rg_${randomBytes(24).toString("base64url")}`;
  return { key, prefix: key.slice(0, 10), keyHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export interface ResolvedApiKey {
  id: string;
  name: string;
  environmentId: string;
  scopes: ApiKeyScope[];
  rateLimitPerSecond: number;
  revoked: boolean;
}

interface CacheEntry {
  key: ResolvedApiKey | null;
  fetchedAt: number;
  lastUsedWrittenAt: number;
}

const cache = () => singleton("apiKeyCache", () => new Map<string, CacheEntry>());

/** Reads the key from `Authorization: Bearer …` or `X-API-Key`. */
export function apiKeyFromHeaders(headers: Headers): string | null {
  const auth = headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim() || null;
  return headers.get("x-api-key")?.trim() || null;
}

export async function resolveApiKey(rawKey: string, now = Date.now()): Promise<ResolvedApiKey | null> {
  const keyHash = hashApiKey(rawKey);
  const entry = cache().get(keyHash);
  if (entry && now - entry.fetchedAt < KEY_CACHE_MS) {
    touch(keyHash, entry, now);
    return entry.key && !entry.key.revoked ? entry.key : null;
  }
  const row = await db.apiKey.findUnique({ where: { keyHash } });
  const key: ResolvedApiKey | null = row
    ? {
        id: row.id,
        name: row.name,
        environmentId: row.environmentId,
        scopes: row.scopes as ApiKeyScope[],
        rateLimitPerSecond: row.rateLimitPerSecond,
        revoked: row.revokedAt !== null,
      }
    : null;
  const fresh: CacheEntry = { key, fetchedAt: now, lastUsedWrittenAt: entry?.lastUsedWrittenAt ?? 0 };
  cache().set(keyHash, fresh);
  touch(keyHash, fresh, now);
  return key && !key.revoked ? key : null;
}

/** Records last-used time at most once a minute per key, off the request path. */
function touch(_hash: string, entry: CacheEntry, now: number): void {
  if (!entry.key || entry.key.revoked || now - entry.lastUsedWrittenAt < LAST_USED_WRITE_MS) return;
  entry.lastUsedWrittenAt = now;
  db.apiKey.update({ where: { id: entry.key.id }, data: { lastUsedAt: new Date(now) } }).catch(() => {
    entry.lastUsedWrittenAt = 0; // database down: try again next time
  });
}

export function forgetApiKeys(): void {
  cache().clear();
}

export function apiKeyActor(key: ResolvedApiKey): Actor {
  return {
    type: "api_key",
    id: key.id,
    label: key.name,
    roles: key.scopes.map((s) => `scope:${s}`),
    permissions: permissionsForScopes(key.scopes),
    environmentId: key.environmentId,
  };
}
