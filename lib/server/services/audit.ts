/** Reading the audit trail: filtered pages, streamed export, and chain verification. */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { checkpointSignatureValid, verifyChain, type ChainedRecord, type AuditActorType, type JsonValue, GENESIS_HASH } from "../../domain/audit/chain";
import { auditChainKey } from "../audit/chain-key";
import type { AuditQuery } from "../../schemas/audit";
import { redactSecrets } from "../../domain/audit/redact";
import { db } from "../db";
import { resourceSearchFilters, withResourceNames } from "./audit-resources";

type Filters = Omit<AuditQuery, "cursor" | "limit">;

async function whereFor(f: Filters): Promise<Prisma.AuditRecordWhereInput> {
  const and: Prisma.AuditRecordWhereInput[] = [];
  if (f.actor) and.push({ OR: [{ actorLabel: { contains: f.actor, mode: "insensitive" } }, { actorId: f.actor }] });
  if (f.action) and.push({ action: { startsWith: f.action } });
  if (f.resourceType) and.push({ resourceType: f.resourceType });
  if (f.resourceId) and.push({ resourceId: f.resourceId });
  if (f.environment) {
    const env = await db.environment.findUnique({ where: { key: f.environment }, select: { id: true } });
    and.push({ environmentId: env?.id ?? "__none__" });
  }
  if (f.from) and.push({ occurredAt: { gte: new Date(f.from) } });
  if (f.to) and.push({ occurredAt: { lte: new Date(f.to) } });
  if (f.q) {
    and.push({
      OR: [
        { action: { contains: f.q, mode: "insensitive" } },
        { actorLabel: { contains: f.q, mode: "insensitive" } },
        { resourceId: { contains: f.q, mode: "insensitive" } },
        { resourceType: { contains: f.q, mode: "insensitive" } },
        ...(await resourceSearchFilters(f.q)),
      ],
    });
  }
  return and.length ? { AND: and } : {};
}

export type AuditRecordView = ReturnType<typeof toView>;

function toView(r: Awaited<ReturnType<typeof db.auditRecord.findFirstOrThrow>>) {
  return {
    id: r.id.toString(),
    occurredAt: r.occurredAt.toISOString(),
    actorType: r.actorType,
    actorId: r.actorId,
    actorLabel: r.actorLabel,
    actorRoles: r.actorRoles,
    action: r.action,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    environmentId: r.environmentId,
    // Redacted again on the way out, for records written before redaction at write time.
    before: redactSecrets(r.before as JsonValue | null),
    after: redactSecrets(r.after as JsonValue | null),
    context: redactSecrets(r.context as JsonValue),
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/** Newest first, each with its resource's name; `nextCursor` continues below the last id returned. */
export async function listAudit(query: AuditQuery) {
  const { cursor, limit, ...filters } = query;
  const where = await whereFor(filters);
  const rows = await db.auditRecord.findMany({
    where: cursor ? { AND: [where, { id: { lt: BigInt(cursor) } }] } : where,
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = await withResourceNames(rows.slice(0, limit).map(toView));
  return { records: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

/** All matching records, oldest first, in pages (exports can be large). */
export async function* iterateAudit(filters: Filters, pageSize = 1000): AsyncGenerator<AuditRecordView> {
  const where = await whereFor(filters);
  let after: bigint | undefined;
  for (;;) {
    const rows = await db.auditRecord.findMany({
      where: after === undefined ? where : { AND: [where, { id: { gt: after } }] },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    for (const r of rows) yield toView(r);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].id;
  }
}

export type ChainVerification =
  | { valid: true; records: number; checkpoint: CheckpointView }
  | {
      valid: false;
      records: number;
      /** The first record that does not verify; null when the records verify but disagree with the checkpoint. */
      firstInvalidId: string | null;
      reason: "hash_mismatch" | "broken_link" | "checkpoint_missing" | "checkpoint_signature" | "records_missing" | "head_mismatch" | "records_unaccounted";
      checkpoint: CheckpointView | null;
    };

interface CheckpointView {
  records: number;
  headId: string | null;
  headHash: string;
  keyedFromId: string;
  signed: boolean;
}

/**
 * Walks the chain in id order up to the signed checkpoint's head: every record's hash (plain
 * before the key cut-over, keyed from it on) and link, then the count and head against the
 * checkpoint, so a deleted tail or a rewritten-and-rehashed last record is reported too.
 * Records appended while verify runs lie beyond the checkpoint it read and are not judged.
 */
export async function verifyAuditChain(pageSize = 2000): Promise<ChainVerification> {
  const key = await auditChainKey();
  const cp = await db.auditCheckpoint.findUnique({ where: { id: 1 } });
  if (!cp) return { valid: false, records: 0, firstInvalidId: null, reason: "checkpoint_missing", checkpoint: null };
  const checkpoint: CheckpointView = {
    records: Number(cp.records),
    headId: cp.headId?.toString() ?? null,
    headHash: cp.headHash,
    keyedFromId: cp.keyedFromId.toString(),
    signed: cp.signature !== null,
  };
  const broken = (records: number, reason: Extract<ChainVerification, { valid: false }>["reason"], firstInvalidId: string | null = null) => ({
    valid: false as const,
    records,
    firstInvalidId,
    reason,
    checkpoint,
  });
  if (!checkpointSignatureValid(key, cp, cp.signature)) return broken(0, "checkpoint_signature");

  const keying = { key, keyedFromId: cp.keyedFromId };
  let startHash = GENESIS_HASH;
  let counted = 0;
  let lastId: bigint | null = null;
  let after: bigint | undefined;
  const upTo = cp.headId ?? 0n;
  for (;;) {
    const rows = await db.auditRecord.findMany({
      where: { id: after === undefined ? { lte: upTo } : { gt: after, lte: upTo } },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    const verdict = verifyChain(rows.map(toChained), startHash, counted, keying);
    if (!verdict.valid) return broken(verdict.records, verdict.reason, verdict.firstInvalidId);
    startHash = verdict.lastHash;
    counted = verdict.records;
    if (rows.length) lastId = after = rows[rows.length - 1].id;
    if (rows.length < pageSize) break;
  }
  if (BigInt(counted) < cp.records) return broken(counted, "records_missing");
  if (BigInt(counted) > cp.records) return broken(counted, "records_unaccounted");
  if (lastId !== cp.headId || startHash !== cp.headHash) return broken(counted, "head_mismatch");
  // Records beyond the head while the checkpoint has not moved were not appended by Rollgate.
  const beyond = await db.auditRecord.findFirst({ where: { id: { gt: upTo } }, orderBy: { id: "asc" }, select: { id: true } });
  if (beyond) {
    const now = await db.auditCheckpoint.findUnique({ where: { id: 1 }, select: { headId: true } });
    if (now?.headId === cp.headId) return broken(counted, "records_unaccounted", beyond.id.toString());
  }
  return { valid: true, records: counted, checkpoint };
}

function toChained(r: Awaited<ReturnType<typeof db.auditRecord.findFirstOrThrow>>): ChainedRecord {
  return {
    id: r.id.toString(),
    occurredAt: r.occurredAt.toISOString(),
    actorType: r.actorType as AuditActorType,
    actorId: r.actorId,
    actorLabel: r.actorLabel,
    actorRoles: r.actorRoles,
    action: r.action,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    environmentId: r.environmentId,
    before: (r.before ?? null) as JsonValue | null,
    after: (r.after ?? null) as JsonValue | null,
    context: (r.context ?? {}) as { [key: string]: JsonValue },
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

const CSV_COLUMNS = ["id", "occurredAt", "actorType", "actorLabel", "actorRoles", "action", "resourceType", "resourceId", "environmentId", "before", "after", "context", "prevHash", "hash"] as const;

export function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  // Leading =,+,-,@ would be run as formulas by spreadsheet apps.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(",") + "\n";
}

export function csvRow(r: AuditRecordView): string {
  return CSV_COLUMNS.map((c) => csvCell(r[c])).join(",") + "\n";
}
