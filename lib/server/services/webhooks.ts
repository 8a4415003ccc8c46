/**
 * Admin use cases for webhooks: list, create (secret generated if blank, shown once), update,
 * rotate the secret, delete, the delivery log, and "send test event". Every change is audited;
 * secrets never appear in responses except the one that creates or rotates them, nor in audit
 * (where the URL, often a credential itself, is masked by lib/domain/audit/redact.ts). Targets
 * on loopback, link-local, private or multicast addresses are refused (../webhooks/target-guard.ts).
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { DomainError } from "../../domain/errors";
import { testEventContent, WEBHOOK_TEST_EVENT } from "../../domain/webhooks";
import type { CreateWebhookBody, ListDeliveriesQuery, UpdateWebhookBody } from "../../schemas/webhooks";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record-audit";
import { db, type DbOrTx, type Tx } from "../db";
import { enqueueDirectDelivery } from "../webhooks/enqueue";
import { kickWebhookWorker } from "../webhooks/worker";
import { assertWebhookTarget } from "../webhooks/target-guard";
import { getEnvironmentByKey } from "./environments";

type Ctx = { requestId: string };

const webhookSelect = {
  id: true,
  name: true,
  url: true,
  events: true,
  active: true,
  createdAt: true,
  environment: { select: { id: true, key: true } },
} as const;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

async function environmentIdFor(key: string | null | undefined, client: DbOrTx): Promise<string | null | undefined> {
  if (key === undefined) return undefined;
  if (key === null) return null;
  return (await getEnvironmentByKey(key, client)).id;
}

/** Every webhook with delivery counts per status and its latest delivery. */
export async function listWebhooks() {
  const [webhooks, counts] = await Promise.all([
    db.webhook.findMany({ orderBy: { createdAt: "asc" }, select: webhookSelect }),
    db.webhookDelivery.groupBy({ by: ["webhookId", "status"], _count: { _all: true } }),
  ]);
  const latest = await Promise.all(
    webhooks.map((w) =>
      db.webhookDelivery.findFirst({
        where: { webhookId: w.id },
        orderBy: { createdAt: "desc" },
        select: { status: true, createdAt: true, lastStatusCode: true, attempts: true },
      }),
    ),
  );
  return webhooks.map((w, i) => {
    const of = (status: string) => counts.find((c) => c.webhookId === w.id && c.status === status)?._count._all ?? 0;
    return {
      ...w,
      deliveries: { pending: of("pending"), succeeded: of("succeeded"), failed: of("failed") },
      lastDelivery: latest[i] ?? null,
    };
  });
}

export async function getWebhook(id: string, client: DbOrTx = db) {
  const webhook = await client.webhook.findUnique({ where: { id }, select: webhookSelect });
  if (!webhook) throw new DomainError("not_found", "No such webhook.");
  return webhook;
}

function auditView(w: { name: string; url: string; events: string[]; active: boolean; environment: { key: string } | null }) {
  return { name: w.name, url: w.url, events: w.events, active: w.active, environment: w.environment?.key ?? null };
}

/** Returns the webhook and its secret; the secret is never shown again. */
export async function createWebhook(actor: Actor, input: CreateWebhookBody, ctx: Ctx) {
  return db.$transaction(async (tx) => {
    const environmentId = (await environmentIdFor(input.environment, tx)) ?? null;
    return createWebhookInTx(tx, actor, environmentId, input, ctx);
  });
}

/** The write of a create inside the caller's transaction (also config-as-code apply). */
export async function createWebhookInTx(tx: Tx, actor: Actor, environmentId: string | null, input: Omit<CreateWebhookBody, "environment">, ctx: Ctx) {
  await assertWebhookTarget(input.url);
  const secret = input.secret ? input.secret : generateWebhookSecret();
  const webhook = await tx.webhook.create({
    data: { name: input.name, url: input.url, secret, events: input.events, active: input.active, environmentId },
    select: webhookSelect,
  });
  await recordAudit(tx, {
    actor,
    action: "webhook.create",
    resourceType: "webhook",
    resourceId: webhook.id,
    environmentId,
    after: { ...auditView(webhook), secretGenerated: !input.secret },
    context: ctx,
  });
  return { webhook, secret };
}

/** `secret` is in the answer only when `rotateSecret` was asked. */
export async function updateWebhook(actor: Actor, id: string, input: UpdateWebhookBody, ctx: Ctx) {
  return db.$transaction(async (tx) => {
    const environmentId = await environmentIdFor(input.environment, tx);
    return updateWebhookInTx(tx, actor, id, { ...input, environmentId }, ctx);
  });
}

/** The write of an update inside the caller's transaction (also config-as-code apply). */
export async function updateWebhookInTx(tx: Tx, actor: Actor, id: string, input: Omit<UpdateWebhookBody, "environment"> & { environmentId?: string | null }, ctx: Ctx) {
  if (input.url !== undefined) await assertWebhookTarget(input.url);
  const secret = input.rotateSecret ? generateWebhookSecret() : undefined;
  const before = await getWebhook(id, tx);
  const webhook = await tx.webhook.update({
    where: { id },
    data: { name: input.name, url: input.url, events: input.events, active: input.active, environmentId: input.environmentId, secret },
    select: webhookSelect,
  });
  const asked = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
  await recordAudit(tx, {
    actor,
    action: secret && asked.length === 1 ? "webhook.rotate_secret" : "webhook.update",
    resourceType: "webhook",
    resourceId: id,
    environmentId: webhook.environment?.id ?? null,
    before: auditView(before),
    after: { ...auditView(webhook), secretRotated: Boolean(secret) },
    context: ctx,
  });
  return secret ? { webhook, secret } : { webhook };
}

export async function deleteWebhook(actor: Actor, id: string, ctx: Ctx): Promise<void> {
  await db.$transaction((tx) => deleteWebhookInTx(tx, actor, id, ctx));
}

/** The write of a delete inside the caller's transaction (also config-as-code `apply --prune`). */
export async function deleteWebhookInTx(tx: Tx, actor: Actor, id: string, ctx: Ctx): Promise<void> {
  const before = await getWebhook(id, tx);
  await tx.webhook.delete({ where: { id } });
  await recordAudit(tx, {
    actor,
    action: "webhook.delete",
    resourceType: "webhook",
    resourceId: id,
    environmentId: before.environment?.id ?? null,
    before: auditView(before),
    context: ctx,
  });
}

/** The delivery log of one webhook, newest first. */
export async function listDeliveries(id: string, query: ListDeliveriesQuery) {
  await getWebhook(id);
  const deliveries = await db.webhookDelivery.findMany({
    where: { webhookId: id, status: query.status },
    orderBy: { createdAt: "desc" },
    take: query.limit,
    select: {
      id: true,
      event: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastStatusCode: true,
      lastError: true,
      createdAt: true,
      deliveredAt: true,
      payload: true,
    },
  });
  return { deliveries };
}

/** Queues a `webhook.test` delivery to this webhook (active or not) and wakes the sender. */
export async function sendTestEvent(actor: Actor, id: string, ctx: Ctx) {
  const deliveryId = await db.$transaction(async (tx) => {
    const webhook = await getWebhook(id, tx);
    const deliveryId = await enqueueDirectDelivery(tx, {
      webhookId: id,
      event: WEBHOOK_TEST_EVENT,
      environment: webhook.environment,
      payload: testEventContent({ webhookName: webhook.name, actor: { type: actor.type, label: actor.label } }),
    });
    await recordAudit(tx, {
      actor,
      action: "webhook.test",
      resourceType: "webhook",
      resourceId: id,
      environmentId: webhook.environment?.id ?? null,
      context: { ...ctx, deliveryId },
    });
    return deliveryId;
  });
  kickWebhookWorker();
  return { deliveryId };
}
