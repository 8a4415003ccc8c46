/**
 * POST /api/v1/events: validate each event on its own, resolve arm, stage (the one that served
 * it: echoed, else by timestamp; see resolve-event.ts) and cost, then store the raw events and
 * add to the rollups exactly the events that were newly stored — in ONE statement
 * (rollup-sql.ts), so a batch costs two round trips: the rollouts it names, then the write.
 * A replayed batch stores nothing new and so adds nothing; concurrent batches are exact because
 * the raw rows' primary key admits each event once and every rollup row is updated under its lock.
 */
import "server-only";
import { DomainError } from "../../../domain/errors";
import { resolveEvent, type RolloutForIngestion } from "../../../domain/metrics/resolve-event";
import type { AcceptedEvent } from "../../../domain/metrics/types";
import { latencyBucketIndex } from "../../../domain/stats/histogram";
import { MAX_EVENTS_PER_BATCH, describeEventIssues, outcomeEventSchema, type IngestResponse, type OutcomeEvent, type RejectedEvent } from "../../../schemas/events";
import { isPlainValidOutcomeEvent } from "../../../schemas/outcome-event-fast";
import { textIssues } from "../../../schemas/hygiene";
import { getEnv } from "../../../env";
import { signalOutcomesIngested } from "./outcome-signal";
import { dbPool } from "../../db";
import { countIngestion } from "../../observability";
import { withTransactionRetry } from "./retry";
import { INGEST_BATCH_SQL, ingestBatchParams, type EventColumns } from "./rollup-sql";
import { priceLookup } from "./prices";

export interface IngestInput {
  environmentId: string;
  events: unknown[];
  now?: Date;
  retentionDays?: number;
}

/** The rollouts a batch names, with their stages' windows, in one statement. */
const LOAD_ROLLOUTS = `SELECT r.id, f.key AS "flagKey", r.control_variant AS "controlVariant", r.treatment_variant AS "treatmentVariant",
       r.current_stage_index AS "currentStageIndex", round(extract(epoch FROM r.ended_at) * 1000)::float8 AS "endedAt",
       COALESCE((SELECT json_agg(json_build_object('index', s.index,
                   'startedAt', round(extract(epoch FROM s.started_at) * 1000)::float8,
                   'endedAt', round(extract(epoch FROM s.ended_at) * 1000)::float8) ORDER BY s.index)
                   FROM rollout_stages s WHERE s.rollout_id = r.id), '[]'::json) AS stages
  FROM rollouts r JOIN flags f ON f.id = r.flag_id
 WHERE r.environment_id = $1 AND r.id = ANY($2::text[])`;

async function loadRollouts(environmentId: string, ids: string[]): Promise<Map<string, RolloutForIngestion>> {
  if (ids.length === 0) return new Map();
  const { rows } = await dbPool().query<RolloutForIngestion>(LOAD_ROLLOUTS, [environmentId, ids]);
  return new Map(rows.map((r) => [r.id, r]));
}

function emptyColumns(): EventColumns {
  return {
    id: [],
    occurredAt: [],
    flagKey: [],
    variant: [],
    rolloutId: [],
    arm: [],
    stageIndex: [],
    subjectKey: [],
    requestId: [],
    pairId: [],
    model: [],
    latencyMs: [],
    latencyBucket: [],
    inputTokens: [],
    outputTokens: [],
    costUsd: [],
    success: [],
    errorType: [],
    feedback: [],
    retried: [],
    qualityScore: [],
    attributes: [],
  };
}

function addRow(c: EventColumns, source: OutcomeEvent, e: AcceptedEvent): void {
  c.id.push(e.id);
  c.occurredAt.push(e.occurredAt);
  c.flagKey.push(e.flagKey);
  c.variant.push(e.variant);
  c.rolloutId.push(e.rolloutId);
  c.arm.push(e.arm);
  c.stageIndex.push(e.stageIndex);
  c.subjectKey.push(source.subjectKey ?? null);
  c.requestId.push(source.requestId ?? null);
  c.pairId.push(source.pairId ?? null);
  c.model.push(source.model ?? null);
  c.latencyMs.push(e.latencyMs);
  c.latencyBucket.push(e.latencyMs == null ? null : latencyBucketIndex(e.latencyMs));
  c.inputTokens.push(e.inputTokens);
  c.outputTokens.push(e.outputTokens);
  c.costUsd.push(e.costUsd);
  c.success.push(e.success);
  c.errorType.push(e.errorType);
  c.feedback.push(e.feedback);
  c.retried.push(e.retried);
  c.qualityScore.push(e.qualityScore);
  c.attributes.push(source.attributes == null ? null : JSON.stringify(source.attributes));
}

/** Stores the batch and its rollups in one statement; returns the ids that were new. */
async function storeBatch(environmentId: string, columns: EventColumns): Promise<{ stored: number; ids: string[] | null }> {
  const { rows } = await dbPool().query<{ stored: number; ids: string[] | null }>(INGEST_BATCH_SQL, ingestBatchParams(environmentId, columns));
  return rows[0];
}

/** Schema check of one event: the quick one first, the full one (with its messages) when it is unsure. */
function checkEvent(raw: unknown): { event: OutcomeEvent } | { errors: string[] } {
  if (isPlainValidOutcomeEvent(raw)) return { event: raw };
  // Text Postgres cannot store rejects this event only, never its batch.
  const unstorable = textIssues(raw);
  if (unstorable.length) return { errors: unstorable.map((i) => `${i.path}: ${i.message}`) };
  const result = outcomeEventSchema.safeParse(raw);
  return result.success ? { event: result.data } : { errors: describeEventIssues(result.error) };
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
  const rolloutIds = new Set<string>();
  for (let index = 0; index < input.events.length; index++) {
    const checked = checkEvent(input.events[index]);
    if ("errors" in checked) rejected.push({ index, errors: checked.errors });
    else {
      parsed.push({ index, event: checked.event });
      if (checked.event.rolloutId) rolloutIds.add(checked.event.rolloutId);
    }
  }

  const [rollouts, costOf] = await Promise.all([loadRollouts(input.environmentId, [...rolloutIds]), priceLookup()]);

  const columns = emptyColumns();
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
    addRow(columns, event, resolution.event);
  }
  rejected.sort((a, b) => a.index - b.index);
  if (accepted.length === 0) {
    await countIngestion(input.environmentId, { accepted: 0, duplicates: duplicatesInBatch, rejected });
    return { accepted: 0, duplicates: duplicatesInBatch, rejected };
  }

  const result = await withTransactionRetry(() => storeBatch(input.environmentId, columns));
  let fresh = accepted;
  if (result.ids !== null) {
    const ids = new Set(result.ids);
    fresh = accepted.filter((e) => ids.has(e.id));
  }
  const duplicates = duplicatesInBatch + accepted.length - fresh.length;
  await countIngestion(input.environmentId, { accepted: fresh.length, duplicates, rejected }, fresh);
  signalOutcomesIngested([...new Set(fresh.flatMap((e) => (e.rolloutId ? [e.rolloutId] : [])))]);
  return { accepted: fresh.length, duplicates, rejected };
}
