/**
 * The audit chain's key: HKDF-SHA256 of the server secret (lib/server/auth/server-secret.ts)
 * with a label of its own, so it is never the session-signing key itself. Changing AUTH_SECRET
 * changes this key: records and the checkpoint signed before then no longer verify (see
 * docs/architecture.md, "Keyed audit chain").
 */
import "server-only";
import { hkdfSync } from "node:crypto";
import { serverSecret } from "../auth/server-secret";
import type { DbOrTx } from "../db";
import { singleton } from "../singleton";

const INFO = "rollgate audit chain v2";

export function deriveAuditKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), INFO, 32));
}

/** Cached per secret, so a changed AUTH_SECRET (tests, restarts) is picked up. `client`: see serverSecret. */
export async function auditChainKey(client?: DbOrTx): Promise<Buffer> {
  const secret = await serverSecret(client);
  const cache = singleton("auditChainKey", () => new Map<string, Buffer>());
  let key = cache.get(secret);
  if (!key) {
    key = deriveAuditKey(secret);
    cache.clear();
    cache.set(secret, key);
  }
  return key;
}
