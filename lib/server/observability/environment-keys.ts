/**
 * Environment id → key for metric labels, for callers that know only the id (ingestion: the API
 * key names the environment by id). Keys never change, so each is read once per process.
 * Never throws: an unreadable environment is labelled by its id.
 */
import "server-only";
import { db } from "../db";

const keys = new Map<string, string>();

export async function environmentKeyOf(environmentId: string): Promise<string> {
  const known = keys.get(environmentId);
  if (known !== undefined) return known;
  try {
    const row = await db.environment.findUnique({ where: { id: environmentId }, select: { key: true } });
    const key = row?.key ?? environmentId;
    keys.set(environmentId, key);
    return key;
  } catch {
    return environmentId;
  }
}
