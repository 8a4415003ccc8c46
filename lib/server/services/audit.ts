/** Reading the audit trail: filtered pages, streamed export, and chain verification. */
import type { Prisma } from "../generated/prisma/client";
import { verifyChain, type ChainedRecord, type AuditActorType, type JsonValue, GENESIS_HASH } from "../../domain/audit/chain";
import type { AuditQuery } from "../../schemas/audit";
import { redactSecrets } from "../../domain/audit/redact";
import { db } from "../db";

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

/** Newest first; `nextCursor` continues below the last id returned. */
export async function listAudit(query: AuditQuery) {
  const { cursor, limit, ...filters } = query;
  const where = await whereFor(filters);
  const rows = await db.auditRecord.findMany({
    where: cursor ? { AND: [where, { id: { lt: BigInt(cursor) } }] } : where,
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit).map(toView);
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

/** Walks the whole chain in id order; reports the first record whose hash or link is wrong. */
export async function verifyAuditChain(pageSize = 2000) {
  let startHash = GENESIS_HASH;
  let counted = 0;
  let after: bigint | undefined;
  for (;;) {
    const rows = await db.auditRecord.findMany({
      where: after === undefined ? {} : { id: { gt: after } },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    const verdict = verifyChain(rows.map(toChained), startHash, counted);
    if (!verdict.valid) return { valid: false as const, records: verdict.records, firstInvalidId: verdict.firstInvalidId, reason: verdict.reason };
    if (rows.length < pageSize) return { valid: true as const, records: verdict.records };
    startHash = verdict.lastHash;
    counted = verdict.records;
    after = rows[rows.length - 1].id;
  }
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
