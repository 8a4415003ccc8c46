/**
 * Exposure counts from in-process SDKs (POST /api/v1/exposures) into the process's
 * ExposureCounter, the same counter the server's own evaluations feed, so both reach the same
 * exposure rows and the same analysis. Checked against the in-memory snapshot only (no database
 * read): the rollout must be active in the key's environment, the stage one it has reached, the
 * minute inside the window below. A cell that fails is rejected with its index; the others count.
 */
import "server-only";
import { describeEventIssues } from "../../schemas/events";
import { exposureCellSchema, type ExposureIngestResponse } from "../../schemas/exposures";
import type { ExposureCounter } from "./exposures";
import type { EnvironmentSnapshot } from "./snapshot-store";

/** Oldest minute accepted: an SDK that could not report for a day has lost those counts. */
export const MAX_EXPOSURE_AGE_MS = 24 * 3_600_000;
/** Clock skew tolerated for a minute in the future. */
export const MAX_EXPOSURE_SKEW_MS = 5 * 60_000;

export function ingestSdkExposures(snapshot: EnvironmentSnapshot, cells: unknown[], counter: ExposureCounter, now: number): ExposureIngestResponse {
  const active = new Map<string, number>();
  for (const flag of snapshot.flagList) if (flag.rollout) active.set(flag.rollout.id, flag.rollout.stageIndex);

  const rejected: ExposureIngestResponse["rejected"] = [];
  let accepted = 0;
  cells.forEach((raw, index) => {
    const parsed = exposureCellSchema.safeParse(raw);
    if (!parsed.success) return rejected.push({ index, errors: describeEventIssues(parsed.error) });
    const cell = parsed.data;
    const currentStage = active.get(cell.rolloutId);
    const errors: string[] = [];
    if (currentStage === undefined) errors.push(`rolloutId: no active rollout "${cell.rolloutId}" in environment "${snapshot.environmentKey}"`);
    else if (cell.stage > currentStage) errors.push(`stage: rollout "${cell.rolloutId}" has not reached stage ${cell.stage}`);
    if (cell.minute < now - MAX_EXPOSURE_AGE_MS) errors.push("minute: older than 24 hours");
    if (cell.minute > now + MAX_EXPOSURE_SKEW_MS) errors.push("minute: in the future");
    if (errors.length) return rejected.push({ index, errors });
    counter.record(cell.rolloutId, cell.stage, cell.arm, cell.minute, cell.count);
    accepted += cell.count;
  });
  return { accepted, rejected };
}

/**
 * Answers of recent exposure batches by (API key, Idempotency-Key), so an SDK retrying a batch
 * whose answer it lost gets the first answer back instead of counting twice. Per instance and
 * bounded; SDKs retry within seconds, well inside the TTL.
 */
export class RecentBatches {
  private readonly answers = new Map<string, { at: number; answer: ExposureIngestResponse }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 20_000,
  ) {}

  /** Answers held. */
  get size(): number {
    return this.answers.size;
  }

  get(keyId: string, idempotencyKey: string, now: number): ExposureIngestResponse | undefined {
    const hit = this.answers.get(`${keyId}\u0000${idempotencyKey}`);
    return hit && now - hit.at < this.ttlMs ? hit.answer : undefined;
  }

  remember(keyId: string, idempotencyKey: string, answer: ExposureIngestResponse, now: number): void {
    if (this.answers.size >= this.max) {
      for (const [k, v] of this.answers) {
        if (now - v.at < this.ttlMs && this.answers.size < this.max) break;
        this.answers.delete(k);
      }
    }
    this.answers.set(`${keyId}\u0000${idempotencyKey}`, { at: now, answer });
  }
}
