/**
 * The one API-key resolution path, for every endpoint: the raw key (lib/server/auth/api-keys.ts
 * parses the headers) is looked up in the snapshot store's live key set, which follows changes
 * through this process's config events, Postgres NOTIFY and the periodic check. A revocation
 * therefore refuses the key on the evaluation, ingestion, OTLP and management endpoints of an
 * instance at the same moment, and "last used" is batched in one place (KeyUsage).
 */
import "server-only";
import type { ServingKey, SnapshotStore } from "./snapshot-store";
import { sharedKeyUsage, sharedSnapshotStore } from "./shared";

/** Why a request's key was not accepted. Constant objects, so refusing allocates nothing. */
export interface KeyRefusal {
  readonly refused: true;
  readonly status: 401 | 503;
  readonly detail: string;
  readonly retryAfter?: number;
}

export const NO_KEY: KeyRefusal = { refused: true, status: 401, detail: "Send an API key as `Authorization: Bearer <key>` or `X-API-Key`." };
export const UNKNOWN_KEY: KeyRefusal = { refused: true, status: 401, detail: "Unknown or revoked API key." };
export const KEYS_NOT_LOADED: KeyRefusal = { refused: true, status: 503, detail: "API keys are not loaded yet; retry shortly.", retryAfter: 1 };

export const isKeyRefusal = (found: ServingKey | KeyRefusal): found is KeyRefusal => "refused" in found;

/** The live key for `rawKey` in `store`, from memory. Before the first load, unknown keys are 503, not 401. */
export function lookupApiKey(store: SnapshotStore, rawKey: string | null): ServingKey | KeyRefusal {
  if (!rawKey) return NO_KEY;
  const key = store.resolveKey(rawKey);
  if (key) return key;
  return store.isReady() ? UNKNOWN_KEY : KEYS_NOT_LOADED;
}

/** The key behind an OFREP stream token (the `eventStreams` URL), with the same refusals. */
export function lookupStreamToken(store: SnapshotStore, token: string): ServingKey | KeyRefusal {
  return store.resolveStreamToken(token) ?? (store.isReady() ? UNKNOWN_KEY : KEYS_NOT_LOADED);
}

/**
 * `lookupApiKey` in this process's shared store, recording the use. The runtime starts the store
 * before it accepts requests; elsewhere (tests, scripts) the first call starts it.
 */
export async function authenticateApiKey(rawKey: string | null, now = Date.now()): Promise<ServingKey | KeyRefusal> {
  const store = sharedSnapshotStore();
  await store.start();
  const found = lookupApiKey(store, rawKey);
  if (!isKeyRefusal(found)) sharedKeyUsage().touch(found.id, now);
  return found;
}
