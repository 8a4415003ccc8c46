/**
 * The SLO breach action "switch the flag to its fallback": turn the flag's kill switch on as the
 * system actor, in one transaction with the config-version bump (evaluation reloads), an audit
 * record carrying the SLO numbers and the `flag.kill_switch` webhook. Idempotent: a flag whose
 * switch is already on is left alone (a person may have turned it on, or off again on purpose
 * after an earlier automatic switch — that happens only on a new alert).
 */
import { killSwitchContent } from "../../domain/webhooks";
import { appUrl } from "../../env";
import { recordAudit } from "../audit/record-audit";
import { SYSTEM_ACTOR } from "../auth/actor";
import type { Db } from "../db";
import { emitConfigChanged } from "../evaluation/config-events";
import { bumpConfigVersion } from "../services/environments";
import { enqueueWebhookEvent } from "../webhooks/enqueue";
import { kickWebhookWorker } from "../webhooks/worker";

export async function engageKillSwitch(
  client: Db,
  input: { environmentId: string; flagKey: string; reason: string; numbers: Record<string, unknown>; now: Date },
): Promise<boolean> {
  const result = await client.$transaction(async (tx) => {
    const flag = await tx.flag.findUnique({ where: { environmentId_key: { environmentId: input.environmentId, key: input.flagKey } }, include: { environment: { select: { key: true } } } });
    if (!flag || flag.killSwitch || flag.archivedAt) return null;
    const reason = input.reason.slice(0, 500);
    // Optimistic: only if nobody changed the flag since we read it.
    const { count } = await tx.flag.updateMany({
      where: { id: flag.id, version: flag.version },
      data: { killSwitch: true, killSwitchReason: reason, version: { increment: 1 } },
    });
    if (count === 0) return null;
    const configVersion = await bumpConfigVersion(tx, flag.environmentId);
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "flag.kill_switch",
      resourceType: "flag",
      resourceId: flag.id,
      environmentId: flag.environmentId,
      before: { killSwitch: false, version: flag.version },
      after: { killSwitch: true, killSwitchReason: reason, version: flag.version + 1 },
      context: { flagKey: flag.key, reason, automatic: true, ...input.numbers },
      now: input.now,
    });
    await enqueueWebhookEvent(tx, {
      environmentId: flag.environmentId,
      event: "flag.kill_switch",
      payload: killSwitchContent({
        environmentKey: flag.environment.key,
        actor: { type: "system", label: "system" },
        flag: { key: flag.key, killSwitch: true, fallbackVariant: flag.fallbackVariant, reason, url: `${appUrl().replace(/\/$/, "")}/flags/${encodeURIComponent(flag.key)}` },
      }),
      occurredAt: input.now,
    });
    return { environmentId: flag.environmentId, configVersion };
  });
  if (!result) return false;
  emitConfigChanged({ environmentId: result.environmentId, version: result.configVersion.toString() });
  kickWebhookWorker();
  return true;
}
