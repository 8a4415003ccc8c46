/** What every flag use case starts with: the caller's environment, the flag row, valid input. */
import "server-only";
import type { z } from "zod";
import { DomainError } from "../../../domain/errors";
import type { Actor } from "../../auth/actor";
import { assertEnvironment } from "../../auth/access";
import { db, type DbOrTx } from "../../db";
import { emitConfigChanged } from "../../evaluation/config-events";
import { zodProblem } from "../../http/zod-problem";
import { getEnvironmentByKey } from "../environments";
import { flagViewInclude, type FlagRow } from "./flag-view";

/** Use-case context: the request id, and a comment for the audit trail. */
export interface FlagContext {
  requestId: string;
  comment?: string;
}

/** The environment by key (404 if unknown); an API key of another environment gets 403. */
export async function callerEnvironment(actor: Actor, key: string, client: DbOrTx = db) {
  const environment = await getEnvironmentByKey(key, client);
  assertEnvironment(actor, environment.id);
  return environment;
}

export async function findFlagRow(client: DbOrTx, environmentId: string, key: string): Promise<FlagRow | null> {
  return client.flag.findUnique({ where: { environmentId_key: { environmentId, key } }, include: flagViewInclude });
}

export async function loadFlagRow(client: DbOrTx, environment: { id: string; key: string }, key: string): Promise<FlagRow> {
  const row = await findFlagRow(client, environment.id, key);
  if (!row) throw new DomainError("not_found", `Flag "${key}" does not exist in ${environment.key}.`, { flagKey: key });
  return row;
}

/** Archived flags are read-only: 409. */
export function assertLive(row: FlagRow, doing: string): void {
  if (row.archivedAt) {
    throw new DomainError("conflict", `Flag "${row.key}" was archived on ${row.archivedAt.toISOString()}; it cannot ${doing}.`, {
      reason: "flag_archived",
      archivedAt: row.archivedAt.toISOString(),
    });
  }
}

/** The optimistic lock lost: someone changed the flag between our read and our write. */
export function concurrentChange(row: FlagRow): DomainError {
  return new DomainError("conflict", `Flag "${row.key}" was changed by someone else meanwhile; reload it and try again.`, {
    reason: "version_conflict",
    loadedVersion: row.version,
  });
}

/** Parses service input with a request schema; a failure is a 400 listing every field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw zodProblem(result.error, "body");
  return result.data;
}

/** The audit context of a flag change. */
export function auditContext(ctx: FlagContext, flagKey: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { requestId: ctx.requestId, ...(ctx.comment ? { comment: ctx.comment } : {}), flagKey, ...extra };
}

/** After the commit: resolves once evaluation in this process serves it (other instances hear NOTIFY). */
export function announceConfigChange(environmentId: string, configVersion: bigint): Promise<void> {
  return emitConfigChanged({ environmentId, version: configVersion.toString() });
}
