/** GET /api/v1/config/export: an environment as config-as-code documents, with version tokens. */
import "server-only";
import { resourceRef } from "../../../domain/config";
import type { Actor } from "../../auth/actor";
import { assertPermission } from "../../auth/access";
import { db } from "../../db";
import { callerEnvironment } from "../flags/flag-records";
import { loadCurrent, toDocuments } from "./resources";

export async function exportConfig(actor: Actor, environmentKey: string) {
  assertPermission(actor, "dashboard.read");
  return db.$transaction(async (tx) => {
    const environment = await callerEnvironment(actor, environmentKey, tx);
    const current = await loadCurrent(tx, environment.id);
    return {
      environment: environment.key,
      configVersion: environment.configVersion.toString(),
      resources: toDocuments(environment.key, current),
      versions: Object.fromEntries(current.resources.map((r) => [resourceRef(r), r.version])),
    };
  });
}
