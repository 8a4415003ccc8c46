/** One flag, archived or not. */
import "server-only";
import type { Actor } from "../../auth/actor";
import { assertPermission } from "../../auth/access";
import { db } from "../../db";
import { callerEnvironment, loadFlagRow } from "./flag-records";
import { toFlagView, type FlagView } from "./flag-view";

/** One flag, archived or not; 404 if the environment has none of that key. */
export async function getFlag(actor: Actor, environmentKey: string, key: string): Promise<{ flag: FlagView }> {
  assertPermission(actor, "dashboard.read");
  const environment = await callerEnvironment(actor, environmentKey);
  return { flag: toFlagView(await loadFlagRow(db, environment, key)) };
}

/** Whether the environment has a flag with this key, archived or not. */
export async function flagExists(environmentId: string, key: string): Promise<boolean> {
  return (await db.flag.count({ where: { environmentId, key } })) > 0;
}
