/**
 * Editing a flag: the patch is merged into the stored document and the result is validated
 * whole (400 with field paths), so a patch cannot leave, say, a rule pointing at a variant it
 * removed. Refused with 409: an archived flag, a stale `expectedVersion`, and removing a variant
 * that an open rollout of the flag uses. A patch that changes nothing writes nothing. One
 * transaction: the row (version + 1), the config-version bump, the audit record with the fields
 * that changed, before and after.
 */
import "server-only";
import { canonicalJson, toJsonValue } from "../../../domain/audit/chain";
import { DomainError } from "../../../domain/errors";
import { flagDocumentSchema, updateFlagBodySchema, type FlagDocument, type FlagPatchRequest } from "../../../schemas/flags";
import type { Actor } from "../../auth/actor";
import { assertPermission } from "../../auth/access";
import { recordAudit } from "../../audit/record-audit";
import { db, type Tx } from "../../db";
import { zodProblem } from "../../http/zod-problem";
import { bumpConfigVersion } from "../environments";
import { announceConfigChange, assertLive, auditContext, callerEnvironment, concurrentChange, loadFlagRow, parseInput, type FlagContext } from "./flag-records";
import { defined, documentColumns, storedDocument, toFlagView, type FlagRow, type FlagView } from "./flag-view";

export async function updateFlag(actor: Actor, environmentKey: string, key: string, patchRequest: FlagPatchRequest, ctx: FlagContext): Promise<{ flag: FlagView }> {
  assertPermission(actor, "flag.write");
  const { expectedVersion, patch } = parseInput(updateFlagBodySchema, patchRequest);

  const result = await db.$transaction(async (tx) => {
    const environment = await callerEnvironment(actor, environmentKey, tx);
    return updateFlagInTx(tx, actor, environment, key, { expectedVersion, patch }, ctx);
  });
  if (result.configVersion !== null) await announceConfigChange(result.row.environmentId, result.configVersion);
  return { flag: toFlagView(result.row) };
}

/**
 * The write of an edit inside the caller's transaction (also config-as-code apply). Answers the
 * row after the change and the new config version, or null when nothing changed.
 */
export async function updateFlagInTx(
  tx: Tx,
  actor: Actor,
  environment: { id: string; key: string },
  key: string,
  { expectedVersion, patch }: { expectedVersion?: number; patch: Partial<Omit<FlagDocument, "key">> },
  ctx: FlagContext,
): Promise<{ row: FlagRow; configVersion: bigint | null; changed: DocumentField[] }> {
  const row = await loadFlagRow(tx, environment, key);
  assertLive(row, "be edited");
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new DomainError("conflict", `Flag "${key}" changed since you loaded it (version ${expectedVersion}, now ${row.version}); reload it and apply your change again.`, {
      reason: "version_conflict",
      expectedVersion,
      currentVersion: row.version,
    });
  }
  const before = storedDocument(row);
  const merged = flagDocumentSchema.safeParse({ ...before, ...defined(patch) });
  if (!merged.success) throw zodProblem(merged.error, "body");
  const after = merged.data;
  const changed = changedFields(before, after);
  if (changed.length === 0) return { row, configVersion: null, changed };
  assertVariantsKept(row, after);

  const { count } = await tx.flag.updateMany({
    where: { id: row.id, version: row.version },
    data: { ...documentColumns(after), version: { increment: 1 } },
  });
  if (count === 0) throw concurrentChange(row);
  const configVersion = await bumpConfigVersion(tx, environment.id);
  await recordAudit(tx, {
    actor,
    action: "flag.update",
    resourceType: "flag",
    resourceId: row.id,
    environmentId: environment.id,
    before: { ...pick(before, changed), version: row.version },
    after: { ...pick(after, changed), version: row.version + 1 },
    context: auditContext(ctx, row.key, { changed }),
  });
  return { row: await loadFlagRow(tx, environment, key), configVersion, changed };
}

export type DocumentField = Exclude<keyof FlagDocument, "key">;
const DOCUMENT_FIELDS: readonly DocumentField[] = ["description", "kind", "variants", "defaultVariant", "fallbackVariant", "stickiness", "enabled", "rules"];

function changedFields(before: FlagDocument, after: FlagDocument): DocumentField[] {
  // Key order is not meaning (jsonb and zod both reorder keys): compare canonical JSON.
  const same = (a: unknown, b: unknown) => canonicalJson(toJsonValue(a ?? "")) === canonicalJson(toJsonValue(b ?? ""));
  return DOCUMENT_FIELDS.filter((f) => !same(before[f], after[f]));
}

function pick(doc: FlagDocument, fields: readonly DocumentField[]): Partial<FlagDocument> {
  return Object.fromEntries(fields.map((f) => [f, doc[f]]));
}

/** An open rollout's control and treatment must stay variants of the flag. */
function assertVariantsKept(row: FlagRow, after: FlagDocument): void {
  const keys = new Set(after.variants.map((v) => v.key));
  for (const rollout of row.rollouts) {
    const missing = [rollout.controlVariant, rollout.treatmentVariant].filter((v) => !keys.has(v));
    if (missing.length > 0) {
      throw new DomainError(
        "conflict",
        `The ${rollout.strategy.replace("_", " ")} rollout of "${row.key}" (${rollout.state.replace("_", " ")}) uses ` +
          `${missing.map((v) => `"${v}"`).join(" and ")}; finish, roll back or abort it before removing ${missing.length === 1 ? "that variant" : "those variants"}.`,
        { reason: "variant_in_use", rolloutId: rollout.id, rolloutState: rollout.state, variants: missing },
      );
    }
  }
}
