import "server-only";
import { DomainError } from "../../domain/errors";
import type { DbOrTx } from "../db";
import { db } from "../db";

export const DEFAULT_ENVIRONMENTS = [
  { key: "production", name: "Production" },
  { key: "staging", name: "Staging" },
] as const;

export async function listEnvironments(client: DbOrTx = db) {
  return client.environment.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, key: true, name: true } });
}

export async function getEnvironmentByKey(key: string, client: DbOrTx = db) {
  const env = await client.environment.findUnique({ where: { key } });
  if (!env) throw new DomainError("not_found", `Environment "${key}" does not exist.`);
  return env;
}

/** Called in every transaction that changes what evaluation serves; the trigger notifies listeners. */
export async function bumpConfigVersion(tx: DbOrTx, environmentId: string): Promise<bigint> {
  const env = await tx.environment.update({
    where: { id: environmentId },
    data: { configVersion: { increment: 1 } },
    select: { configVersion: true },
  });
  return env.configVersion;
}
