/**
 * Appends one record to the hash chain inside the caller's transaction. A transaction-scoped
 * advisory lock serialises writers between reading the chain head and inserting, so concurrent
 * transactions can never fork the chain; the lock is released at commit or rollback.
 * The record is keyed (HMAC, ./chain-key.ts) and the signed checkpoint advanced in the same
 * transaction, so the checkpoint always names the committed head.
 */
import "server-only";
import { checkpointSignatureValid, hashAuditRecord, signCheckpoint, toJsonValue, GENESIS_HASH, type AuditContent, type JsonValue } from "../../domain/audit/chain";
import { redactSecrets } from "../../domain/audit/redact";
import type { Tx } from "../db";
import type { Actor } from "../auth/actor";
import { ADVISORY_LOCKS } from "../db/advisory-locks";
import { auditChainKey } from "./chain-key";

/** Arbitrary constant naming the audit-chain lock ("RGAUDIT"). */
const AUDIT_CHAIN_LOCK = ADVISORY_LOCKS.auditChain;

export interface AuditEntry {
  actor: Actor;
  action: string;
  resourceType: string;
  resourceId: string;
  environmentId?: string | null;
  before?: unknown;
  after?: unknown;
  /** requestId, comment, rollout/stage, the numbers behind an automatic action… */
  context?: Record<string, unknown>;
  now?: Date;
}

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<{ id: bigint; hash: string }> {
  const key = await auditChainKey(tx);
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const checkpoint = await tx.auditCheckpoint.findUnique({ where: { id: 1 } });
  // The migration creates it; without it there is no trustworthy head to advance.
  if (!checkpoint) throw new Error("audit checkpoint missing: the audit trail was tampered with (see docs/architecture.md, Keyed audit chain)");
  // A valid checkpoint names the head (one query saved under the lock); if the tail behind it
  // was deleted, the new record's link to it stays broken for verify to report.
  const sealed = checkpointSignatureValid(key, checkpoint, checkpoint.signature);
  const head = sealed ? { hash: checkpoint.headHash } : await tx.auditRecord.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = head?.hash ?? GENESIS_HASH;
  const content: AuditContent = {
    occurredAt: (entry.now ?? new Date()).toISOString(),
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    actorLabel: entry.actor.label,
    actorRoles: [...entry.actor.roles],
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    environmentId: entry.environmentId ?? null,
    // No secret is ever stored in clear (lib/domain/audit/redact.ts).
    before: entry.before === undefined ? null : redactSecrets(toJsonValue(entry.before)),
    after: entry.after === undefined ? null : redactSecrets(toJsonValue(entry.after)),
    context: redactSecrets(toJsonValue(entry.context ?? {})) as { [key: string]: JsonValue },
  };
  const hash = hashAuditRecord(content, prevHash, key);
  const row = await tx.auditRecord.create({
    data: {
      ...content,
      occurredAt: new Date(content.occurredAt),
      before: content.before ?? undefined,
      after: content.after ?? undefined,
      prevHash,
      hash,
    },
    select: { id: true, hash: true },
  });
  // A checkpoint whose signature does not verify is left as it is: re-signing it would erase the
  // evidence that verify reports. Counting on from it (rather than recounting) keeps a deleted
  // tail visible as a count mismatch.
  if (sealed) {
    const next = { records: checkpoint.records + 1n, headId: row.id, headHash: row.hash, keyedFromId: checkpoint.keyedFromId };
    await tx.auditCheckpoint.update({ where: { id: 1 }, data: { ...next, signature: signCheckpoint(key, next) } });
  }
  return row;
}
