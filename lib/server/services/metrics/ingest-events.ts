/**
 * POST /api/v1/events: validate each event on its own, resolve arm, stage (the one that served
 * it: echoed, else by timestamp; see resolve-event.ts) and cost, then in ONE
 * transaction store the raw events (ON CONFLICT DO NOTHING on (environment, id)) and add to the
 * rollups exactly the events that were newly stored. A replayed batch stores nothing new and so
 * adds nothing; concurrent batches are exact because every rollup row is updated under its lock.
 */
import "server-only";
import { DomainError } from "../../../domain/errors";
import { flagRollupDeltas, hourlyRollupDeltas, rollupDeltas } from "../../../domain/metrics/aggregate";
import { resolveEvent, type RolloutForIngestion } from "../../../domain/metrics/resolve-event";
import type { AcceptedEvent } from "../../../domain/metrics/types";
import {
  MAX_EVENTS_PER_BATCH,
  describeEventIssues,
  outcomeEventSchema,
  type IngestResponse,
  type OutcomeEvent,
  type RejectedEvent,
} from "../../../schemas/events";
import { textIssues } from "../../../schemas/hygiene";
import { getEnv } from "../../../env";
import { signalOutcomesIngested } from "./outcome-signal";
import { db, type Tx } from "../../db";
import { countIngestion } from "../../observability";
import { withTransactionRetry } from "./retry";
import { upsertFlagRollups, upsertHourlyRollups, upsertMinuteRollups } from "./rollup-sql";
import { priceLookup } from "./prices";

export interface IngestInput {
  environmentId: string;
  events: unknown[];
  now?: Date;
  retentionDays?: number;
}

/** One raw event row as JSON for jsonb_to_recordset (short keys keep the parameter small). */
interface RawRow {
  id: string;
  t: number;
  f: string;
  v: string;
  r: string | null;
  a: string | null;
  sk: string | null;
  rq: string | null;
  p: string | null;
  m: string | null;
  l: number | null;
  it: number | null;
  ot: number | null;
  c: number | null;
  s: boolean;
  et: string | null;
  fb: number | null;
  rt: boolean;
  q: number | null;
  at: Record<string, unknown> | null;
}

const INSERT_EVENTS = `INSERT INTO metric_events (environment_id, id, occurred_at, flag_key, variant, rollout_id, arm, subject_key,
  request_id, pair_id, model, latency_ms, input_tokens, output_tokens, cost_usd, success, error_type, feedback, retried,
  quality_score, attributes)
SELECT $2, e.id, to_timestamp(e.t / 1000.0), e.f, e.v, e.r, e.a::"Arm", e.sk, e.rq, e.p, e.m, e.l, e.it, e.ot, e.c, e.s, e.et,
       e.fb, e.rt, e.q, COALESCE(e.at, '{}'::jsonb)
  FROM jsonb_to_recordset($1::jsonb) AS e(id text, t bigint, f text, v text, r text, a text, sk text, rq text, p text, m text,
       l float8, it int, ot int, c float8, s boolean, et text, fb int, rt boolean, q float8, at jsonb)
 ORDER BY e.id
ON CONFLICT (environment_id, id) DO NOTHING
RETURNING id`;

function rawRow(source: OutcomeEvent, e: AcceptedEvent): RawRow {
  return {
    id: e.id,
    t: e.occurredAt,
    f: e.flagKey,
    v: e.variant,
    r: e.rolloutId,
    a: e.arm,
    sk: source.subjectKey ?? null,
    rq: source.requestId ?? null,
    p: source.pairId ?? null,
    m: source.model ?? null,
    l: e.latencyMs,
    it: e.inputTokens,
    ot: e.outputTokens,
    c: e.costUsd,
    s: e.success,
    et: source.errorType ?? null,
    fb: e.feedback,
    rt: e.retried,
    q: e.qualityScore,
    at: source.attributes ?? null,
  };
}

async function loadRollouts(environmentId: string, ids: string[]): Promise<Map<string, RolloutForIngestion>> {
  if (ids.length === 0) return new Map();
  const rows = await db.rollout.findMany({
    where: { environmentId, id: { in: ids } },
    select: {
      id: true,
      controlVariant: true,
      treatmentVariant: true,
      currentStageIndex: true,
      endedAt: true,
      flag: { select: { key: true } },
      stages: { select: { index: true, startedAt: true, endedAt: true } },
    },
  });
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        flagKey: r.flag.key,
        controlVariant: r.controlVariant,
        treatmentVariant: r.treatmentVariant,
        currentStageIndex: r.currentStageIndex,
        endedAt: r.endedAt?.getTime() ?? null,
        stages: r.stages.map((s) => ({ index: s.index, startedAt: s.startedAt?.getTime() ?? null, endedAt: s.endedAt?.getTime() ?? null })),
      },
    ]),
  );
}

/** Stores new events and their rollups; returns the ids that were new. */
async function storeBatch(tx: Tx, environmentId: string, rows: RawRow[], accepted: AcceptedEvent[]): Promise<Set<string>> {
  const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(INSERT_EVENTS, JSON.stringify(rows), environmentId);
  const fresh = new Set(inserted.map((r) => r.id));
  const counted = fresh.size === accepted.length ? accepted : accepted.filter((e) => fresh.has(e.id));
  await upsertMinuteRollups(tx, rollupDeltas(counted));
  await upsertHourlyRollups(tx, hourlyRollupDeltas(counted));
  await upsertFlagRollups(tx, environmentId, flagRollupDeltas(counted));
  return fresh;
}

export async function ingestEvents(input: IngestInput): Promise<IngestResponse> {
  if (input.events.length > MAX_EVENTS_PER_BATCH) {
    throw new DomainError("payload_too_large", `A batch holds at most ${MAX_EVENTS_PER_BATCH} events; this one has ${input.events.length}. Split it.`, {
      maxEvents: MAX_EVENTS_PER_BATCH,
      events: input.events.length,
    });
  }
  const now = (input.now ?? new Date()).getTime();
  const retentionDays = input.retentionDays ?? getEnv().ROLLGATE_EVENT_RETENTION_DAYS;
  const rejected: RejectedEvent[] = [];
  const parsed: { index: number; event: OutcomeEvent }[] = [];
  input.events.forEach((raw, index) => {
    // Text Postgres cannot store rejects this event only, never its batch.
    const unstorable = textIssues(raw);
    if (unstorable.length) return void rejected.push({ index, errors: unstorable.map((i) => `${i.path}: ${i.message}`) });
    const result = outcomeEventSchema.safeParse(raw);
    if (result.success) parsed.push({ index, event: result.data });
    else rejected.push({ index, errors: describeEventIssues(result.error) });
  });

  const rolloutIds = [...new Set(parsed.flatMap((p) => (p.event.rolloutId ? [p.event.rolloutId] : [])))];
  const [rollouts, costOf] = await Promise.all([loadRollouts(input.environmentId, rolloutIds), priceLookup()]);

  const rows: RawRow[] = [];
  const accepted: AcceptedEvent[] = [];
  const seen = new Set<string>();
  let duplicatesInBatch = 0;
  for (const { index, event } of parsed) {
    const resolution = resolveEvent(event, { now, retentionDays, rollout: (id) => rollouts.get(id), costOf });
    if (!resolution.ok) {
      rejected.push({ index, errors: resolution.errors });
      continue;
    }
    if (seen.has(event.id)) {
      duplicatesInBatch += 1;
      continue;
    }
    seen.add(event.id);
    accepted.push(resolution.event);
    rows.push(rawRow(event, resolution.event));
  }
  rejected.sort((a, b) => a.index - b.index);
  if (accepted.length === 0) await countIngestion(input.environmentId, { accepted: 0, duplicates: duplicatesInBatch, rejected });
  if (accepted.length === 0) return { accepted: 0, duplicates: duplicatesInBatch, rejected };

  const fresh = await withTransactionRetry(() => db.$transaction((tx) => storeBatch(tx, input.environmentId, rows, accepted), { timeout: 30_000 }));
  await countIngestion(input.environmentId, { accepted: fresh.size, duplicates: duplicatesInBatch + accepted.length - fresh.size, rejected }, accepted.filter((e) => fresh.has(e.id)));
  signalOutcomesIngested([...new Set(accepted.flatMap((e) => (e.rolloutId && fresh.has(e.id) ? [e.rolloutId] : [])))]);
  return { accepted: fresh.size, duplicates: duplicatesInBatch + accepted.length - fresh.size, rejected };
}
