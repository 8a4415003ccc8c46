/**
 * Creating a flag: the document is validated whole (400 with every field path), the key must be
 * new in the environment — an archived flag keeps its key reserved, so that the audit trail,
 * metrics and SDK caches never mix two flags under one name — and the flag gets its own random
 * bucketing salt. One transaction: the row, the config-version bump, the audit record.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { DomainError } from "../../../domain/errors";
import { createFlagBodySchema, flagEnvironmentOf, type FlagDocument, type FlagDocumentInput } from "../../../schemas/flags";
import type { Actor } from "../../auth/actor";
import { assertPermission } from "../../auth/access";
import { recordAudit } from "../../audit/record-audit";
import { db, type Tx } from "../../db";
import { bumpConfigVersion } from "../environments";
import { announceConfigChange, auditContext, callerEnvironment, findFlagRow, parseInput, type FlagContext } from "./flag-records";
import { documentColumns, flagViewInclude, storedDocument, toFlagView, type FlagRow, type FlagView } from "./flag-view";

export async function createFlag(actor: Actor, environmentKey: string, doc: FlagDocumentInput & { environment?: string }, ctx: FlagContext): Promise<{ flag: FlagView }> {
  assertPermission(actor, "flag.write");
  const { environment: docEnvironment, flag: input } = parseInput(createFlagBodySchema, doc);
  const envKey = flagEnvironmentOf(environmentKey, docEnvironment);

  const { row, configVersion } = await db.$transaction(async (tx) => {
    const environment = await callerEnvironment(actor, envKey, tx);
    return createFlagInTx(tx, actor, environment, input, ctx);
  });
  await announceConfigChange(row.environmentId, configVersion);
  return { flag: toFlagView(row) };
}

/**
 * The write of a create inside the caller's transaction (also config-as-code apply): the row,
 * the config-version bump and the audit record. `input` is a parsed flag document.
 */
export async function createFlagInTx(tx: Tx, actor: Actor, environment: { id: string; key: string }, input: FlagDocument, ctx: FlagContext): Promise<{ row: FlagRow; configVersion: bigint }> {
  const existing = await findFlagRow(tx, environment.id, input.key);
  if (existing) throw duplicateKey(input.key, environment.key, existing.archivedAt);
  let row: FlagRow;
  try {
    row = await tx.flag.create({
      data: {
        environmentId: environment.id,
        key: input.key,
        ...documentColumns(input),
        salt: randomBytes(8).toString("hex"),
      },
      include: flagViewInclude,
    });
  } catch (error) {
    // Another request created the same key between our check and our insert.
    if (isUniqueViolation(error)) throw duplicateKey(input.key, environment.key, null);
    throw error;
  }
  const configVersion = await bumpConfigVersion(tx, environment.id);
  await recordAudit(tx, {
    actor,
    action: "flag.create",
    resourceType: "flag",
    resourceId: row.id,
    environmentId: environment.id,
    after: { ...storedDocument(row), version: row.version },
    context: auditContext(ctx, row.key),
  });
  return { row, configVersion };
}

function duplicateKey(key: string, environmentKey: string, archivedAt: Date | null): DomainError {
  if (archivedAt) {
    return new DomainError("conflict", `Flag "${key}" was archived in ${environmentKey} on ${archivedAt.toISOString()}; archived keys stay reserved, so choose another key.`, {
      reason: "key_archived",
      field: "key",
      archivedAt: archivedAt.toISOString(),
    });
  }
  return new DomainError("conflict", `Flag "${key}" already exists in ${environmentKey}.`, { reason: "key_exists", field: "key" });
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === "P2002" || e?.cause?.code === "23505";
}
