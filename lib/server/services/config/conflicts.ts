/**
 * What a 409 of config apply says: for each resource that changed since the plan, who changed it,
 * when, by which action and which fields — read from the audit trail, which every write feeds.
 */
import "server-only";
import type { CurrentResource } from "../../../domain/config";
import type { DbOrTx } from "../../db";

const RESOURCE_TYPE = { Flag: "flag", SLO: "slo", Webhook: "webhook" } as const;

export interface ConflictView {
  resource: string;
  expectedVersion: string | null;
  currentVersion: string | null;
  changedBy: string | null;
  action: string | null;
  at: string | null;
  fields: string[];
}

export async function describeConflicts(
  client: DbOrTx,
  environmentId: string,
  stale: { ref: string; expected: string | null; current: string | null }[],
  current: readonly CurrentResource[],
): Promise<ConflictView[]> {
  const byRef = new Map(current.map((r) => [`${r.kind}/${r.name}`, r]));
  return Promise.all(
    stale.map(async (s) => {
      const now = byRef.get(s.ref);
      const record = now
        ? await client.auditRecord.findFirst({
            where: { environmentId, resourceType: RESOURCE_TYPE[now.kind], resourceId: now.id },
            orderBy: { id: "desc" },
            select: { actorLabel: true, action: true, occurredAt: true, context: true, after: true },
          })
        : null;
      const context = (record?.context ?? {}) as { changed?: unknown };
      const after = record?.after && typeof record.after === "object" ? Object.keys(record.after as object).filter((k) => k !== "version") : [];
      return {
        resource: s.ref,
        expectedVersion: s.expected,
        currentVersion: s.current,
        changedBy: record?.actorLabel ?? null,
        action: record?.action ?? (now ? null : "deleted"),
        at: record?.occurredAt.toISOString() ?? null,
        fields: Array.isArray(context.changed) ? context.changed.map(String) : after,
      };
    }),
  );
}

export function conflictSentence(c: ConflictView): string {
  if (!c.currentVersion) return `${c.resource} was deleted or archived since the plan`;
  const who = c.changedBy ? ` by ${c.changedBy}` : "";
  const what = c.action ? ` (${c.action}${c.fields.length ? `: ${c.fields.join(", ")}` : ""})` : "";
  const when = c.at ? ` at ${c.at}` : "";
  if (c.expectedVersion === null) return `${c.resource} was created${who}${when} since the plan${what}`;
  return `${c.resource} changed${who}${when} since the plan${what}; version ${c.expectedVersion} → ${c.currentVersion}`;
}
