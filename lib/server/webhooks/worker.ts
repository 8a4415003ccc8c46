/**
 * The webhook sender: a durable queue in Postgres. Every instance may run it. Each pass claims
 * due pending rows with `FOR UPDATE SKIP LOCKED` (two instances never claim the same row) and
 * leases them by pushing `next_attempt_at` LEASE_SECONDS ahead, then sends outside any
 * transaction and records the outcome. A process that dies mid-send leaves its rows pending:
 * they come due again when the lease ends, so delivery is at-least-once and survives restarts
 * (receivers de-duplicate with the X-Rollgate-Delivery header).
 */
import "server-only";
import { EventEmitter } from "node:events";
import { WEBHOOK_TEST_EVENT, decideAfterAttempt } from "../../domain/webhooks";
import { db as defaultDb, type Db } from "../db";
import { singleton } from "../singleton";
import { countWebhookDelivery } from "../observability";
import { sendDelivery } from "./send";

/** A claimed row is not claimed again for this long; it must exceed one send's timeout. */
export const LEASE_SECONDS = 60;
export const DEFAULT_POLL_MS = 1_000;
export const DEFAULT_BATCH_SIZE = 20;

interface ClaimedRow {
  id: string;
  event: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
  active: boolean;
}

export interface WebhookWorkerOptions {
  client?: Db;
  pollMs?: number;
  batchSize?: number;
  /** The clock (tests move it forward to reach a backoff). */
  now?: () => Date;
  timeoutMs?: number;
}

export interface WebhookWorker {
  /** One pass: claim due rows, send them, record outcomes. Returns the number attempted. */
  runOnce(): Promise<number>;
  start(): void;
  /** Ask for a pass now (after enqueueing). */
  kick(): void;
  stop(): Promise<void>;
}

/** Claims up to `limit` due deliveries (with their webhook's URL and secret) under a lease. */
export async function claimDueDeliveries(client: Db, now: Date, limit: number): Promise<ClaimedRow[]> {
  const leaseUntil = new Date(now.getTime() + LEASE_SECONDS * 1000);
  return client.$queryRaw<ClaimedRow[]>`
    WITH due AS (
      SELECT id FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE webhook_deliveries AS d SET next_attempt_at = ${leaseUntil}
    FROM due, webhooks AS w
    WHERE d.id = due.id AND w.id = d.webhook_id
    RETURNING d.id, d.event, d.payload, d.attempts, w.url, w.secret, w.active`;
}

export function createWebhookWorker(opts: WebhookWorkerOptions = {}): WebhookWorker {
  const client = opts.client ?? defaultDb;
  const now = opts.now ?? (() => new Date());
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  let timer: NodeJS.Timeout | null = null;
  let loop: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let lastErrorLogAt = 0;

  async function deliver(row: ClaimedRow): Promise<void> {
    const attempt = row.attempts + 1;
    // A test event goes out even to an inactive webhook: checking it before switching it on is the point.
    const sendable = row.active || row.event === WEBHOOK_TEST_EVENT;
    const result = sendable
      ? await sendDelivery({ deliveryId: row.id, event: row.event, url: row.url, secret: row.secret, payload: row.payload }, { timeoutMs: opts.timeoutMs })
      : { statusCode: null, error: "the webhook was deactivated before delivery" };
    const at = now();
    // A refused target (see ./target-guard.ts) fails at once: no retry can make it allowed.
    const refused = "refused" in result && result.refused;
    const decision = sendable && !refused ? decideAfterAttempt(attempt, result.statusCode) : ({ status: "failed" } as const);
    // `attempts` unchanged = our lease still holds; otherwise another instance took over.
    await client.webhookDelivery.updateMany({
      where: { id: row.id, attempts: row.attempts, status: "pending" },
      data: {
        attempts: attempt,
        status: decision.status,
        lastStatusCode: result.statusCode,
        lastError: result.error,
        deliveredAt: decision.status === "succeeded" ? at : null,
        nextAttemptAt: decision.status === "pending" ? new Date(at.getTime() + decision.retryInSeconds * 1000) : at,
      },
    });
    countWebhookDelivery(row.event, decision.status === "pending" ? "retrying" : decision.status);
  }

  async function runOnce(): Promise<number> {
    const rows = await claimDueDeliveries(client, now(), batchSize);
    await Promise.all(rows.map(deliver));
    return rows.length;
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      try {
        while (!stopped && (await runOnce()) === batchSize) {
          // a full batch: more may be due
        }
      } catch (error) {
        if (Date.now() - lastErrorLogAt > 60_000) {
          lastErrorLogAt = Date.now();
          console.error("[webhooks] delivery pass failed; retrying on the next poll:", (error as Error).message);
        }
      }
    } while (again && !stopped);
  }

  function kick(): void {
    if (stopped) return;
    if (loop) {
      again = true;
      return;
    }
    loop = drain().finally(() => {
      loop = null;
    });
  }

  return {
    runOnce,
    kick,
    start() {
      if (timer || stopped) return;
      timer = setInterval(kick, pollMs);
      timer.unref();
      kick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await loop;
    },
  };
}

const kicks = () => singleton("webhookKicks", () => new EventEmitter().setMaxListeners(0));

/** Wakes this process's sender at once (call after a transaction that enqueued deliveries commits). */
export function kickWebhookWorker(): void {
  kicks().emit("kick");
}

/**
 * Starts this instance's sender (idempotent) for lib/server/runtime/runtime.ts; the returned
 * `stop` ends it after the pass in progress.
 */
export function startWebhookWorker(opts: WebhookWorkerOptions = {}): { name: string; stop(): Promise<void> } {
  const worker = createWebhookWorker(opts);
  const onKick = () => worker.kick();
  kicks().on("kick", onKick);
  worker.start();
  return {
    name: "webhook-sender",
    async stop() {
      kicks().off("kick", onKick);
      await worker.stop();
    },
  };
}
