/**
 * Names for the resources audit records point at, so the trail reads "checkout-model" rather
 * than a UUID, and search finds a flag's records by its key. Both work a page at a time with a
 * fixed number of queries (one per resource type present, run together), never one per record.
 */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import type { JsonValue } from "../../domain/audit/chain";
import { db } from "../db";

interface RecordRef {
  resourceType: string;
  resourceId: string;
  before: JsonValue | null;
  after: JsonValue | null;
}

type Lookup = (ids: string[]) => Promise<[string, string][]>;

/** Current names by resource type; rollouts are named by their flag and variants. */
const LOOKUPS: Record<string, Lookup> = {
  flag: async (ids) => (await db.flag.findMany({ where: { id: { in: ids } }, select: { id: true, key: true } })).map((f) => [f.id, f.key]),
  rollout: async (ids) =>
    (
      await db.rollout.findMany({
        where: { id: { in: ids } },
        select: { id: true, controlVariant: true, treatmentVariant: true, flag: { select: { key: true } } },
      })
    ).map((r) => [r.id, rolloutName(r.flag.key, r.controlVariant, r.treatmentVariant)]),
  slo: async (ids) => (await db.slo.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((s) => [s.id, s.name]),
  user: async (ids) => (await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]),
  api_key: async (ids) => (await db.apiKey.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((k) => [k.id, k.name]),
  webhook: async (ids) => (await db.webhook.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((w) => [w.id, w.name]),
  environment: async (ids) => (await db.environment.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((e) => [e.id, e.name]),
};

/** Resources that are not rows: the price table and named settings. */
const FIXED_NAMES: Record<string, (id: string) => string> = {
  model_price: () => "Model prices",
  setting: (id) => id,
};

function rolloutName(flagKey: string, control: string, treatment: string): string {
  return `${flagKey}: ${control} → ${treatment}`;
}

/** The name a record itself carries (`key`, `name` or `email` of its after, else before): kept for deleted resources. */
function storedName(r: RecordRef): string | null {
  for (const doc of [r.after, r.before]) {
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) continue;
    for (const field of ["key", "name", "email"]) {
      const v = doc[field];
      if (typeof v === "string" && v) return v;
    }
  }
  return null;
}

/** Each record with `resourceName`: the resource's current name, else the one the record stored, else null. */
export async function withResourceNames<R extends RecordRef>(records: R[]): Promise<(R & { resourceName: string | null })[]> {
  const idsByType = new Map<string, Set<string>>();
  for (const r of records) {
    if (!LOOKUPS[r.resourceType]) continue;
    const ids = idsByType.get(r.resourceType) ?? new Set<string>();
    ids.add(r.resourceId);
    idsByType.set(r.resourceType, ids);
  }
  const found = await Promise.all([...idsByType].map(async ([type, ids]) => [type, new Map(await LOOKUPS[type]([...ids]))] as const));
  const names = new Map(found);
  return records.map((r) => ({
    ...r,
    resourceName: names.get(r.resourceType)?.get(r.resourceId) ?? FIXED_NAMES[r.resourceType]?.(r.resourceId) ?? storedName(r),
  }));
}

/** At most this many resources of each type match one search; enough for any name a person types. */
const SEARCH_MATCHES_PER_TYPE = 200;

/**
 * Record filters for a search term that names a resource: ids of resources whose key, name or
 * email contains it (rollouts through their flag's key), and records whose own before/after
 * carry it as `key` or `name` (resources deleted since).
 */
export async function resourceSearchFilters(q: string): Promise<Prisma.AuditRecordWhereInput[]> {
  const like = { contains: q, mode: "insensitive" } as const;
  const take = SEARCH_MATCHES_PER_TYPE;
  const select = { id: true } as const;
  const [flags, rollouts, slos, users, apiKeys, webhooks, environments] = await Promise.all([
    db.flag.findMany({ where: { key: like }, select, take }),
    db.rollout.findMany({ where: { flag: { key: like } }, select, take }),
    db.slo.findMany({ where: { name: like }, select, take }),
    db.user.findMany({ where: { OR: [{ email: like }, { name: like }] }, select, take }),
    db.apiKey.findMany({ where: { name: like }, select, take }),
    db.webhook.findMany({ where: { name: like }, select, take }),
    db.environment.findMany({ where: { OR: [{ key: like }, { name: like }] }, select, take }),
  ]);
  const byType: [string, { id: string }[]][] = [
    ["flag", flags],
    ["rollout", rollouts],
    ["slo", slos],
    ["user", users],
    ["api_key", apiKeys],
    ["webhook", webhooks],
    ["environment", environments],
  ];
  const filters: Prisma.AuditRecordWhereInput[] = byType.filter(([, rows]) => rows.length > 0).map(([resourceType, rows]) => ({ resourceType, resourceId: { in: rows.map((r) => r.id) } }));
  for (const field of ["key", "name"]) {
    filters.push({ after: { path: [field], string_contains: q } }, { before: { path: [field], string_contains: q } });
  }
  return filters;
}
