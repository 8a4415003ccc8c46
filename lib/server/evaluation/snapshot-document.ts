/**
 * GET /api/v1/snapshot: the environment's configuration as in-process SDKs evaluate it. The flags
 * are the engine's own FlagSnapshot objects (lib/domain/flags/types.ts), active rollouts with
 * their current stage and split included, so an SDK running the same engine answers exactly like
 * POST /api/v1/evaluate. Nothing secret is in it: no key hashes, no stream tokens, no audit data;
 * bucketing salts are configuration, not credentials. Serialized once per snapshot version.
 */
import "server-only";
import type { FlagSnapshot } from "../../domain/flags";
import type { EnvironmentSnapshot } from "./snapshot-store";

export interface SnapshotDocument {
  environment: string;
  /** environments.config_version, decimal; equals the `id:` of the stream's `config` events. */
  version: string;
  flags: FlagSnapshot[];
}

const texts = new WeakMap<EnvironmentSnapshot, string>();

export function snapshotDocument(snapshot: EnvironmentSnapshot): SnapshotDocument {
  return { environment: snapshot.environmentKey, version: snapshot.version, flags: [...snapshot.flagList] };
}

/** The document as JSON text, computed once per (immutable) snapshot. */
export function snapshotDocumentJson(snapshot: EnvironmentSnapshot): string {
  let text = texts.get(snapshot);
  if (text === undefined) {
    text = JSON.stringify(snapshotDocument(snapshot));
    texts.set(snapshot, text);
  }
  return text;
}
