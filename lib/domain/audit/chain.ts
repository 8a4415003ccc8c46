/**
 * The audit trail's hash chain. Each record's hash covers the canonical JSON of its content plus
 * the previous record's hash, so changing, removing or reordering any record breaks every hash
 * after it. The first record chains to GENESIS_HASH.
 *
 * Two versions: records before the key cut-over (`keyedFromId`, fixed when the checkpoint was
 * introduced) are plain SHA-256, which anyone can recompute; records from it on are HMAC-SHA256
 * under a server key, which someone without the key cannot. The checkpoint (record count, head
 * id and hash, cut-over) is signed with the same key, so a deleted tail or a rewritten last
 * record is found even when the rest of the chain is consistent.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type AuditActorType = "user" | "api_key" | "system";

export interface AuditContent {
  occurredAt: string; // ISO-8601 with milliseconds (the column is timestamptz(3))
  actorType: AuditActorType;
  actorId: string;
  actorLabel: string;
  actorRoles: string[];
  action: string;
  resourceType: string;
  resourceId: string;
  environmentId: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  context: { [key: string]: JsonValue };
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Turns any value into plain JSON the way Postgres jsonb will give it back: Dates become ISO
 * strings, bigints strings, undefined object members vanish, non-finite numbers become null.
 */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined && typeof v !== "function") out[k] = toJsonValue(v);
    }
    return out;
  }
  return null;
}

/** JSON with object keys sorted at every depth: one byte string per value. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
}

/** Keyed (HMAC-SHA256) with `key`, plain SHA-256 without (records before the cut-over). */
export function hashAuditRecord(content: AuditContent, prevHash: string, key?: Uint8Array | null): string {
  const body = canonicalJson(toJsonValue({ ...content, prevHash }));
  return (key ? createHmac("sha256", key) : createHash("sha256")).update(body, "utf8").digest("hex");
}

/** The signed head of the chain, kept outside the records and advanced with every append. */
export interface ChainCheckpoint {
  records: bigint;
  headId: bigint | null;
  headHash: string;
  /** Records with this id or above are keyed; below, plain SHA-256. */
  keyedFromId: bigint;
}

export function signCheckpoint(key: Uint8Array, cp: ChainCheckpoint): string {
  const body = `rollgate-audit-checkpoint/v1|${cp.records}|${cp.headId ?? ""}|${cp.headHash}|${cp.keyedFromId}`;
  return createHmac("sha256", key).update(body, "utf8").digest("hex");
}

export function checkpointSignatureValid(key: Uint8Array, cp: ChainCheckpoint, signature: string | null): boolean {
  // Unsigned is only the state the migration left: no keyed record yet.
  if (signature === null) return cp.headId === null || cp.headId < cp.keyedFromId;
  const expected = Buffer.from(signCheckpoint(key, cp), "hex");
  const given = Buffer.from(signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface ChainedRecord extends AuditContent {
  id: string;
  prevHash: string;
  hash: string;
}

export type ChainVerdict = { valid: true; records: number; lastHash: string } | { valid: false; records: number; firstInvalidId: string; reason: "hash_mismatch" | "broken_link" };

/** Which records are keyed, and with what. Absent: every record is plain SHA-256. */
export interface ChainKeying {
  key: Uint8Array;
  keyedFromId: bigint;
}

/**
 * Verifies records in chain order (ascending id), starting after `startHash`. Streaming callers
 * pass the previous page's lastHash to continue.
 */
export function verifyChain(records: Iterable<ChainedRecord>, startHash = GENESIS_HASH, counted = 0, keying?: ChainKeying): ChainVerdict {
  let prev = startHash;
  let n = counted;
  for (const r of records) {
    n++;
    if (r.prevHash !== prev) return { valid: false, records: n, firstInvalidId: r.id, reason: "broken_link" };
    const { id, hash, prevHash, ...content } = r;
    const key = keying && BigInt(id) >= keying.keyedFromId ? keying.key : null;
    if (hashAuditRecord(content, prevHash, key) !== hash) {
      return { valid: false, records: n, firstInvalidId: r.id, reason: "hash_mismatch" };
    }
    prev = hash;
  }
  return { valid: true, records: n, lastHash: prev };
}
