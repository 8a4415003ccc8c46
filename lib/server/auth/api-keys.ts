/**
 * API keys: `rg_<random>`, shown once, stored as SHA-256 (keys are 192-bit random, so a fast hash
 * is safe). Every endpoint reads the key with `apiKeyFromHeader` and resolves it through the
 * evaluation snapshot store's live key set (lib/server/evaluation/api-key-lookup.ts), so a
 * revocation reaches every endpoint of an instance at the same moment.
 */
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { permissionsForScopes, type ApiKeyScope } from "../../domain/auth/permissions";
import type { Actor } from "./actor";

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

/**
 * The one header parser: the raw key from `Authorization: Bearer …`, else from `X-API-Key`.
 * Takes the two header values so node:http requests and fetch `Headers` share it.
 */
export function apiKeyFromHeader(authorization: string | null | undefined, xApiKey: string | string[] | null | undefined): string | null {
  if (authorization && authorization.length > 7 && authorization.slice(0, 7).toLowerCase() === "bearer ") {
    return authorization.slice(7).trim() || null;
  }
  return (typeof xApiKey === "string" && xApiKey.trim()) || null;
}

/** `apiKeyFromHeader` over fetch `Headers` (Next route handlers). */
export function apiKeyFromHeaders(headers: Headers): string | null {
  return apiKeyFromHeader(headers.get("authorization"), headers.get("x-api-key"));
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
