/**
 * "Outcomes arrived" across instances: the rollout ids committed batches touched are published
 * with Postgres NOTIFY on OUTCOMES_CHANNEL, coalesced per PUBLISH_DELAY_MS, so the evaluator's
 * leader re-checks them even when another instance ingested the outcomes (it LISTENs:
 * lib/server/automation/outcome-listener.ts). Payload "<origin>:<id>,<id>,…", split to stay
 * under NOTIFY's 8000-byte limit; the origin names this process, whose own evaluator already
 * got the in-process signal and skips its own notifications. A lost notification costs only
 * latency: the next tick sees the new data anyway.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../../db";
import { singleton } from "../../singleton";

export const OUTCOMES_CHANNEL = "rollgate_outcomes";
/** Ids touched within this long go out in one notification. */
export const PUBLISH_DELAY_MS = 200;
/** NOTIFY payloads must be shorter than 8000 bytes. */
export const MAX_PAYLOAD_BYTES = 7_900;

interface Publisher {
  origin: string;
  pending: Set<string>;
  timer: NodeJS.Timeout | null;
  flushing: Promise<void>;
}

const publisher = () => singleton<Publisher>("outcomeNotifyPublisher", () => ({ origin: randomUUID(), pending: new Set(), timer: null, flushing: Promise.resolve() }));

/** This process's origin, as it appears in its payloads. */
export function outcomeNotifyOrigin(): string {
  return publisher().origin;
}

/** Queues the ids for the next notification (at most PUBLISH_DELAY_MS from now). */
export function publishOutcomesTouched(rolloutIds: readonly string[]): void {
  if (rolloutIds.length === 0) return;
  const p = publisher();
  for (const id of rolloutIds) p.pending.add(id);
  if (p.timer) return;
  p.timer = setTimeout(() => {
    p.timer = null;
    p.flushing = p.flushing.then(() => flush(p));
  }, PUBLISH_DELAY_MS);
  p.timer.unref();
}

/** Resolves once what was queued so far is published (tests, shutdown). */
export async function flushOutcomePublications(): Promise<void> {
  const p = publisher();
  if (p.timer) {
    clearTimeout(p.timer);
    p.timer = null;
    p.flushing = p.flushing.then(() => flush(p));
  }
  await p.flushing;
}

async function flush(p: Publisher): Promise<void> {
  const ids = [...p.pending];
  p.pending.clear();
  for (const payload of outcomePayloads(p.origin, ids)) {
    try {
      await db.$executeRawUnsafe("SELECT pg_notify($1, $2)", OUTCOMES_CHANNEL, payload);
    } catch (error) {
      console.warn(`[ingestion] could not publish touched rollouts: ${(error as Error).message}`);
    }
  }
}

/** The payloads naming `ids`, each under MAX_PAYLOAD_BYTES. */
export function outcomePayloads(origin: string, ids: readonly string[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let bytes = Buffer.byteLength(origin) + 1;
  for (const id of ids) {
    const size = Buffer.byteLength(id) + 1;
    if (current.length > 0 && bytes + size > MAX_PAYLOAD_BYTES) {
      out.push(`${origin}:${current.join(",")}`);
      current = [];
      bytes = Buffer.byteLength(origin) + 1;
    }
    current.push(id);
    bytes += size;
  }
  if (current.length > 0) out.push(`${origin}:${current.join(",")}`);
  return out;
}

/** Reads a payload back; null for anything else (never throws). */
export function parseOutcomePayload(payload: string | undefined): { origin: string; rolloutIds: string[] } | null {
  if (!payload) return null;
  const colon = payload.indexOf(":");
  if (colon <= 0) return null;
  const rolloutIds = payload
    .slice(colon + 1)
    .split(",")
    .filter((id) => id.length > 0);
  return rolloutIds.length ? { origin: payload.slice(0, colon), rolloutIds } : null;
}
