/**
 * POST /api/v1/config/apply: make an environment what its files say, in ONE transaction — every
 * flag, SLO and webhook write goes through its own service's tx-scoped write (same validation,
 * same audit record per change, the caller as actor), so an apply lands whole or not at all.
 *
 * - Optimistic: with `expectedVersions` (the tokens of the plan the caller reviewed) any
 *   resource that changed since fails the whole apply with 409 naming who changed what.
 *   The environment's flag, SLO and webhook rows are locked first (FOR UPDATE), so nothing
 *   slips in between the check and the writes.
 * - A flag's serving (everything but its description) does not change under a live rollout
 *   (running, paused, awaiting approval) unless `force`, which needs rollout.skip_analysis
 *   (admins, `admin` API keys).
 * - `prune` archives flags and deletes SLOs and webhooks that the files no longer name.
 * - `dryRun` answers the plan and writes nothing.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { changesServing, planConfig, resourceRef, type ResourceChange } from "../../../domain/config";
import { DomainError } from "../../../domain/errors";
import type { Permission } from "../../../domain/auth/permissions";
import type { ApplyConfigBody } from "../../../schemas/config";
import type { Actor } from "../../auth/actor";
import { assertPermission } from "../../auth/access";
import { db, type Tx } from "../../db";
import { archiveFlagInTx, createFlagInTx, updateFlagInTx } from "../flags";
import { announceConfigChange, callerEnvironment } from "../flags/flag-records";
import { createSloInTx, deleteSloInTx, updateSloInTx } from "../slos/slos";
import { createWebhookInTx, deleteWebhookInTx, updateWebhookInTx } from "../webhooks";
import { conflictSentence, describeConflicts } from "./conflicts";
import { loadCurrent, parseResources, type CurrentState, type ParsedResource } from "./resources";

const WRITE_PERMISSION: Record<ResourceChange["kind"], Permission> = { Flag: "flag.write", SLO: "slo.write", Webhook: "webhook.manage" };

export interface ApplyResult {
  environment: string;
  dryRun: boolean;
  /** Whether anything was written. */
  applied: boolean;
  /** The environment's configuration version the plan was computed against. */
  configVersion: string;
  changes: ResourceChange[];
  /** Version tokens: before the apply for a dry run, after it otherwise. */
  versions: Record<string, string>;
  /** Secrets of webhooks this apply created, shown once. */
  secrets: { webhook: string; secret: string }[];
}

export async function applyConfig(actor: Actor, body: ApplyConfigBody, ctx: { requestId?: string } = {}): Promise<ApplyResult> {
  assertPermission(actor, "dashboard.read");
  const requestId = ctx.requestId ?? randomUUID();
  let announce: { environmentId: string; version: bigint } | null = null;

  const result = await db.$transaction(
    async (tx) => {
      const environment = await callerEnvironment(actor, body.environment, tx);
      if (!body.dryRun) await lockEnvironmentRows(tx, environment.id);
      const current = await loadCurrent(tx, environment.id);
      const parsed = parseResources(environment.key, body.resources, current);
      const changes = planConfig(parsed, current.resources, { prune: body.prune });
      const pending = changes.filter((c) => c.action !== "unchanged");

      if (body.expectedVersions) await assertNotStale(tx, environment.id, body.expectedVersions, changes, current);
      assertServingGuard(actor, pending, current, body.force);
      const base = { environment: environment.key, configVersion: environment.configVersion.toString(), changes, secrets: [] as ApplyResult["secrets"] };
      if (body.dryRun || pending.length === 0) {
        return { ...base, dryRun: body.dryRun, applied: false, versions: versionsOf(current) };
      }
      for (const kind of new Set(pending.map((c) => c.kind))) assertPermission(actor, WRITE_PERMISSION[kind]);

      const byRef = new Map(parsed.map((p) => [resourceRef(p), p]));
      const ids = new Map(current.resources.map((r) => [resourceRef(r), r.id]));
      const write = { tx, actor, environment, ctx: { requestId, comment: body.comment } };
      const secrets: ApplyResult["secrets"] = [];
      let lastVersion: bigint | null = null;
      // Creates and updates first (flags before the SLOs that may name them), removals last
      // (webhooks and SLOs before the flags they may name).
      const removals = pending.filter((c) => c.action === "archive" || c.action === "delete").reverse();
      for (const change of [...pending.filter((c) => !removals.includes(c)), ...removals]) {
        const out = await writeChange(write, change, byRef.get(resourceRef(change)), ids.get(resourceRef(change)));
        if (out.configVersion) lastVersion = out.configVersion;
        if (out.secret) secrets.push({ webhook: change.name, secret: out.secret });
      }
      if (lastVersion !== null) announce = { environmentId: environment.id, version: lastVersion };
      const after = await loadCurrent(tx, environment.id);
      return { ...base, dryRun: false, applied: true, versions: versionsOf(after), secrets };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  if (announce) {
    const a = announce as { environmentId: string; version: bigint };
    await announceConfigChange(a.environmentId, a.version);
  }
  return result;
}

const versionsOf = (state: CurrentState) => Object.fromEntries(state.resources.map((r) => [resourceRef(r), r.version]));

/** Concurrent writers of these rows wait for this transaction (and see its result). */
async function lockEnvironmentRows(tx: Tx, environmentId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM flags WHERE environment_id = ${environmentId} FOR UPDATE`;
  await tx.$queryRaw`SELECT id FROM slos WHERE environment_id = ${environmentId} FOR UPDATE`;
  await tx.$queryRaw`SELECT id FROM webhooks WHERE environment_id = ${environmentId} FOR UPDATE`;
}

/** Everything the plan touches must still be at the version the caller reviewed. */
async function assertNotStale(tx: Tx, environmentId: string, expected: Record<string, string | null>, changes: ResourceChange[], current: CurrentState) {
  const stale = changes
    .filter((c) => c.action !== "unchanged" || resourceRef(c) in expected)
    .map((c) => ({ ref: resourceRef(c), expected: resourceRef(c) in expected ? expected[resourceRef(c)] : null, current: c.version }))
    .filter((s) => s.expected !== s.current);
  // Named in the plan but gone now (deleted, archived) while the files no longer name it.
  for (const [ref, version] of Object.entries(expected)) {
    if (version !== null && !changes.some((c) => resourceRef(c) === ref) && !current.resources.some((r) => resourceRef(r) === ref)) {
      stale.push({ ref, expected: version, current: null });
    }
  }
  if (stale.length === 0) return;
  const conflicts = await describeConflicts(tx, environmentId, stale, current.resources);
  throw new DomainError("conflict", `The configuration changed since the plan, so nothing was applied: ${conflicts.map(conflictSentence).join("; ")}. Run diff again and review.`, {
    reason: "version_conflict",
    conflicts,
  });
}

function assertServingGuard(actor: Actor, pending: ResourceChange[], current: CurrentState, force: boolean): void {
  const held = pending.filter(changesServing).flatMap((c) => {
    const rollout = current.resources.find((r) => resourceRef(r) === resourceRef(c))?.liveRollout;
    return rollout ? [{ flag: c.name, rolloutId: rollout.id, rolloutState: rollout.state, fields: c.fields.map((f) => f.path) }] : [];
  });
  if (held.length === 0) return;
  if (!force) {
    throw new DomainError(
      "conflict",
      `${held.map((h) => `Flag "${h.flag}" has a ${h.rolloutState.replace("_", " ")} rollout (${h.rolloutId})`).join("; ")}: its serving is the rollout's to change — ` +
        "promote, roll back or abort it with the rollout commands, or apply with --force (admin) to change it anyway.",
      { reason: "active_rollout", flags: held },
    );
  }
  assertPermission(actor, "rollout.skip_analysis");
}

interface WriteContext {
  tx: Tx;
  actor: Actor;
  environment: { id: string; key: string };
  ctx: { requestId: string; comment?: string };
}

async function writeChange(w: WriteContext, change: ResourceChange, desired: ParsedResource | undefined, id: string | undefined): Promise<{ configVersion?: bigint | null; secret?: string }> {
  const { tx, actor, environment, ctx } = w;
  const audit = { requestId: ctx.requestId, ...(ctx.comment ? { comment: ctx.comment } : {}) };
  // The id of the existing resource, which every change but a create and an archive has.
  const existing = (): string => {
    if (!id) throw new Error(`no existing id for ${resourceRef(change)}`);
    return id;
  };
  if (change.action === "archive") return archiveFlagInTx(tx, actor, environment, change.name, audit);
  if (change.action === "delete" && change.kind === "SLO") return (await deleteSloInTx(tx, actor, existing(), audit), {});
  if (change.action === "delete") return (await deleteWebhookInTx(tx, actor, existing(), audit), {});
  if (!desired) throw new Error(`no document for ${resourceRef(change)}`);
  switch (desired.kind) {
    case "Flag": {
      if (change.action === "create") return createFlagInTx(tx, actor, environment, desired.doc, audit);
      const { key: _key, ...patch } = desired.doc;
      return updateFlagInTx(tx, actor, environment, change.name, { expectedVersion: Number(change.version), patch }, audit);
    }
    case "SLO":
      if (change.action === "create") return (await createSloInTx(tx, actor, environment.id, desired.doc, audit), {});
      return (await updateSloInTx(tx, actor, existing(), desired.doc, audit), {});
    case "Webhook": {
      if (change.action === "create") {
        const { secret } = await createWebhookInTx(tx, actor, environment.id, { name: change.name, ...desired.doc }, audit);
        return { secret };
      }
      await updateWebhookInTx(tx, actor, existing(), desired.doc, audit);
      return {};
    }
  }
}
