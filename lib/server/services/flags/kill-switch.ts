/**
 * The kill switch, one way for both paths: `writeKillSwitch` is the change itself — inside the
 * caller's transaction, the optimistic flag update, the config-version bump (evaluation
 * reloads), the audit record and the `flag.kill_switch` webhook — and `announceKillSwitch` is
 * what follows the commit. The manual path (lib/server/services/flags, a person or a `manage`
 * key) and the automatic one below (the SLO breach action "switch the flag to its fallback")
 * both use them.
 */
import "server-only";
import { killSwitchContent } from "../../../domain/webhooks";
import { appUrl } from "../../../env";
import { recordAudit } from "../../audit/record-audit";
import { SYSTEM_ACTOR, type Actor } from "../../auth/actor";
import type { Db, Tx } from "../../db";
import { emitConfigChanged } from "../../evaluation/config-events";
import { bumpConfigVersion } from "../environments";
import { enqueueWebhookEvent } from "../../webhooks/enqueue";
import { kickWebhookWorker } from "../../webhooks/worker";

/** The flag row as loaded by the caller (the version is the optimistic lock). */
export interface KillSwitchFlag {
  id: string;
  key: string;
  environmentId: string;
  version: number;
  killSwitch: boolean;
  killSwitchReason: string | null;
  fallbackVariant: string;
}

export interface KillSwitchWrite {
  flag: KillSwitchFlag;
  environmentKey: string;
  enabled: boolean;
  /** Why (required to turn it on; at most 500 characters are kept). */
  reason: string | null;
  actor: Actor;
  /** Added to the audit context next to flagKey and reason (requestId, comment, the numbers…). */
  context: Record<string, unknown>;
  now: Date;
}

export interface KillSwitchWritten {
  environmentId: string;
  configVersion: bigint;
  version: number;
}

/**
 * Sets the flag's kill switch to `enabled` inside `tx`. Returns null, writing nothing, when the
 * flag's version is no longer the loaded one (someone changed it meanwhile).
 * Audit action `flag.kill_switch` (on) or `flag.kill_switch_off` (off).
 */
export async function writeKillSwitch(tx: Tx, input: KillSwitchWrite): Promise<KillSwitchWritten | null> {
  const { flag, enabled, actor } = input;
  const reason = input.reason?.slice(0, 500) ?? null;
  const killSwitchReason = enabled ? reason : null;
  const { count } = await tx.flag.updateMany({
    where: { id: flag.id, version: flag.version },
    data: { killSwitch: enabled, killSwitchReason, version: { increment: 1 } },
  });
  if (count === 0) return null;
  const version = flag.version + 1;
  const configVersion = await bumpConfigVersion(tx, flag.environmentId);
  await recordAudit(tx, {
    actor,
    action: enabled ? "flag.kill_switch" : "flag.kill_switch_off",
    resourceType: "flag",
    resourceId: flag.id,
    environmentId: flag.environmentId,
    before: { killSwitch: flag.killSwitch, killSwitchReason: flag.killSwitchReason, version: flag.version },
    after: { killSwitch: enabled, killSwitchReason, version },
    context: { ...input.context, flagKey: flag.key, reason },
    now: input.now,
  });
  await enqueueWebhookEvent(tx, {
    environmentId: flag.environmentId,
    event: "flag.kill_switch",
    payload: killSwitchContent({
      environmentKey: input.environmentKey,
      actor: { type: actor.type, label: actor.label },
      flag: { key: flag.key, killSwitch: enabled, fallbackVariant: flag.fallbackVariant, reason, url: `${appUrl().replace(/\/$/, "")}/flags/${encodeURIComponent(flag.key)}` },
    }),
    occurredAt: input.now,
  });
  return { environmentId: flag.environmentId, configVersion, version };
}

/** After the commit: the webhook goes out now, and this resolves once evaluation in this process serves the change. */
export async function announceKillSwitch(written: KillSwitchWritten): Promise<void> {
  kickWebhookWorker();
  await emitConfigChanged({ environmentId: written.environmentId, version: written.configVersion.toString() });
}

/**
 * The automatic path: turn the kill switch on as the system actor, with the SLO numbers in the
 * audit context. Idempotent: a flag whose switch is already on is left alone (a person may have
 * turned it on, or off again on purpose after an earlier automatic switch — that happens only on
 * a new alert). Archived flags are left alone too.
 */
export async function engageKillSwitch(client: Db, input: { environmentId: string; flagKey: string; reason: string; numbers: Record<string, unknown>; now: Date }): Promise<boolean> {
  const written = await client.$transaction(async (tx) => {
    const flag = await tx.flag.findUnique({ where: { environmentId_key: { environmentId: input.environmentId, key: input.flagKey } }, include: { environment: { select: { key: true } } } });
    if (!flag || flag.killSwitch || flag.archivedAt) return null;
    return writeKillSwitch(tx, {
      flag,
      environmentKey: flag.environment.key,
      enabled: true,
      reason: input.reason,
      actor: SYSTEM_ACTOR,
      context: { automatic: true, ...input.numbers },
      now: input.now,
    });
  });
  if (!written) return false;
  await announceKillSwitch(written);
  return true;
}
