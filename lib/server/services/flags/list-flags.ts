/** An environment's flags, sorted by key; archived ones only on request; optional search. */
import "server-only";
import type { Actor } from "../../auth/actor";
import { assertPermission } from "../../auth/access";
import { db } from "../../db";
import type { Prisma } from "../../generated/prisma/client";
import { callerEnvironment } from "./flag-records";
import { flagViewInclude, toFlagView, type FlagView } from "./flag-view";

export interface ListFlagsFilter {
  environment: string;
  /** Archived flags too (default false). */
  includeArchived?: boolean;
  /** Case-insensitive substring of the key or the description. */
  q?: string;
}

export async function listFlags(actor: Actor, filter: ListFlagsFilter): Promise<{ flags: FlagView[] }> {
  assertPermission(actor, "dashboard.read");
  const environment = await callerEnvironment(actor, filter.environment);
  const q = filter.q?.trim();
  const where: Prisma.FlagWhereInput = {
    environmentId: environment.id,
    ...(filter.includeArchived ? {} : { archivedAt: null }),
    ...(q ? { OR: [{ key: { contains: q, mode: "insensitive" } }, { description: { contains: q, mode: "insensitive" } }] } : {}),
  };
  const rows = await db.flag.findMany({ where, include: flagViewInclude, orderBy: { key: "asc" } });
  return { flags: rows.map(toFlagView) };
}
