/**
 * The manual kill switch (a person or a `manage` key). On: everyone is served the flag's
 * fallback variant (reason KILL_SWITCH) until it is turned off; a reason is required. The write
 * itself — flag, config version, audit record, `flag.kill_switch` webhook — is the one the
 * automatic SLO action uses (lib/server/services/flags/kill-switch.ts). Asking for the state the
 * switch is already in changes nothing. Archived flags: 409.
 */
import "server-only";
import { killSwitchBodySchema, type KillSwitchBody } from "../../../schemas/flags";
import type { Actor } from "../../auth/actor";
import { assertPermission } from "../../auth/access";
import { announceKillSwitch, writeKillSwitch } from "./kill-switch";
import { db } from "../../db";
import { assertLive, auditContext, callerEnvironment, concurrentChange, loadFlagRow, parseInput, type FlagContext } from "./flag-records";
import { toFlagView, type FlagView } from "./flag-view";

export async function setKillSwitch(
  actor: Actor,
  environmentKey: string,
  key: string,
  request: { enabled: boolean; reason?: string | null },
  ctx: FlagContext,
  now: Date = new Date(),
): Promise<{ flag: FlagView }> {
  assertPermission(actor, "flag.kill_switch");
  const { enabled, reason }: KillSwitchBody = parseInput(killSwitchBodySchema, {
    enabled: request.enabled,
    ...(request.reason !== undefined && request.reason !== null ? { reason: request.reason } : {}),
  });

  const result = await db.$transaction(async (tx) => {
    const environment = await callerEnvironment(actor, environmentKey, tx);
    const row = await loadFlagRow(tx, environment, key);
    assertLive(row, `have its kill switch turned ${enabled ? "on" : "off"}`);
    if (row.killSwitch === enabled) return { row, written: null };
    const written = await writeKillSwitch(tx, {
      flag: row,
      environmentKey: environment.key,
      enabled,
      reason: reason ?? null,
      actor,
      context: auditContext(ctx, row.key),
      now,
    });
    if (!written) throw concurrentChange(row);
    return { row: await loadFlagRow(tx, environment, key), written };
  });
  if (result.written) await announceKillSwitch(result.written);
  return { flag: toFlagView(result.row) };
}
