/**
 * Admin use cases for API keys: list, create (the key is returned once, only its SHA-256 is
 * stored) and revoke. Keys live in the evaluation snapshot, so every change bumps the
 * environment's config version in its transaction and is announced after commit; a revoke also
 * clears this process's key cache so the key is refused at once. Every change is audited; the key
 * and its hash never appear in audit records nor in any answer but the create one.
 */
import "server-only";
import { DomainError } from "../../domain/errors";
import type { ApiKeyScope } from "../../domain/auth/permissions";
import type { CreateApiKeyBody, ListApiKeysQuery } from "../../schemas/api-keys";
import type { Actor } from "../auth/actor";
import { generateApiKey } from "../auth/api-keys";
import { assertPermission } from "../auth/access";
import { recordAudit } from "../audit/record-audit";
import { db, type DbOrTx } from "../db";
import { emitConfigChanged } from "../evaluation/config-events";
import { resolveActors } from "./rollouts/actor-labels";
import { bumpConfigVersion } from "./environments";

type Ctx = { requestId: string };

/** Everything about a key that may be shown: never `keyHash`. */
const apiKeySelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  rateLimitPerSecond: true,
  createdById: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  environment: { select: { id: true, key: true } },
} as const;

type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  rateLimitPerSecond: number;
  createdById: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  environment: { id: string; key: string };
};

export type ApiKeyState = "active" | "revoked";

async function toViews(rows: ApiKeyRow[], client: DbOrTx) {
  const label = await resolveActors(
    client,
    rows.flatMap((r) => (r.createdById ? [r.createdById] : [])),
  );
  return rows.map(({ createdById, scopes, ...rest }) => ({
    ...rest,
    scopes: scopes as ApiKeyScope[],
    state: (rest.revokedAt ? "revoked" : "active") as ApiKeyState,
    createdBy: createdById ? { id: createdById, label: label(createdById).label } : null,
  }));
}

function auditView(k: { name: string; prefix: string; scopes: string[]; rateLimitPerSecond: number; environment: { key: string }; revokedAt: Date | null }) {
  return {
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    rateLimitPerSecond: k.rateLimitPerSecond,
    environment: k.environment.key,
    state: k.revokedAt ? "revoked" : "active",
  };
}

/** The environment a body or query names, or 404 naming the `environment` field. */
async function environmentOf(key: string, client: DbOrTx) {
  const environment = await client.environment.findUnique({ where: { key }, select: { id: true, key: true } });
  if (!environment) {
    throw new DomainError("not_found", `Environment "${key}" does not exist.`, { errors: [{ path: "environment", message: "no such environment" }] });
  }
  return environment;
}

/** Newest first; all environments, or the one `query.environment` names. */
export async function listApiKeys(actor: Actor, query: ListApiKeysQuery = {}) {
  assertPermission(actor, "api_key.manage");
  const environmentId = query.environment ? (await environmentOf(query.environment, db)).id : undefined;
  const rows = await db.apiKey.findMany({
    where: { environmentId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: apiKeySelect,
  });
  return toViews(rows, db);
}

export async function getApiKey(actor: Actor, id: string, client: DbOrTx = db) {
  assertPermission(actor, "api_key.manage");
  const row = await client.apiKey.findUnique({ where: { id }, select: apiKeySelect });
  if (!row) throw new DomainError("not_found", "No such API key.");
  return (await toViews([row], client))[0];
}

/** The key and its public view; `key` is never shown again. */
export async function createApiKey(actor: Actor, input: CreateApiKeyBody, ctx: Ctx) {
  assertPermission(actor, "api_key.manage");
  const { key, prefix, keyHash } = generateApiKey();
  const { view, version } = await db.$transaction(async (tx) => {
    const environment = await environmentOf(input.environment, tx);
    const row = await tx.apiKey.create({
      data: {
        environmentId: environment.id,
        name: input.name,
        prefix,
        keyHash,
        scopes: input.scopes,
        rateLimitPerSecond: input.rateLimitPerSecond,
        createdById: actor.type === "user" ? actor.id : null,
      },
      select: apiKeySelect,
    });
    const version = await bumpConfigVersion(tx, environment.id);
    await recordAudit(tx, {
      actor,
      action: "api_key.create",
      resourceType: "api_key",
      resourceId: row.id,
      environmentId: environment.id,
      after: auditView(row),
      context: ctx,
    });
    return { view: (await toViews([row], tx))[0], version };
  });
  await emitConfigChanged({ environmentId: view.environment.id, version: version.toString() });
  return { ...view, key };
}

/**
 * Revokes the key. Every endpoint resolves keys through the snapshot store, which this process
 * reloads before the answer goes out (refused here at once) and other instances reload as soon
 * as they see the version bump. Revoking a revoked key changes nothing and answers the same.
 */
export async function revokeApiKey(actor: Actor, id: string, ctx: Ctx) {
  assertPermission(actor, "api_key.manage");
  const result = await db.$transaction(async (tx) => {
    const before = await tx.apiKey.findUnique({ where: { id }, select: apiKeySelect });
    if (!before) throw new DomainError("not_found", "No such API key.");
    if (before.revokedAt) return { row: before, version: null };
    const row = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: apiKeySelect });
    const version = await bumpConfigVersion(tx, row.environment.id);
    await recordAudit(tx, {
      actor,
      action: "api_key.revoke",
      resourceType: "api_key",
      resourceId: id,
      environmentId: row.environment.id,
      before: auditView(before),
      after: auditView(row),
      context: ctx,
    });
    return { row, version };
  });
  if (result.version !== null) {
    await emitConfigChanged({ environmentId: result.row.environment.id, version: result.version.toString() });
  }
  return (await toViews([result.row], db))[0];
}
