/**
 * Exposure counting: every served evaluation that a rollout decided adds 1 to
 * (rollout, stage, arm, minute) in memory — the stage of the snapshot that served it, so a
 * promotion splits the counts exactly where this process switched — and a worker writes the counts every
 * ROLLGATE_EXPOSURE_FLUSH_SECONDS with one multi-row upsert that adds to what is stored.
 *
 * Loss bound: a crash loses what was counted since the last successful flush — at most one
 * flush interval of exposures (plus, while the database is down, what accumulated meanwhile).
 * A failed flush merges its counts back and is retried next interval; memory stays bounded by
 * MAX_PENDING_CELLS distinct cells, beyond which new cells are dropped and counted in `dropped`.
 */
import "server-only";
import type { RolloutArm } from "../../domain/flags";
import type { DbOrTx } from "../db";

/** Distinct (rollout, stage, arm, minute) cells held in memory at most (~100 bytes each). */
export const MAX_PENDING_CELLS = 100_000;

export interface ExposureCell {
  rolloutId: string;
  /** The stage that served the evaluations (the answer's `rollout.stage`). */
  stage: number;
  arm: RolloutArm;
  /** Start of the minute, ms since epoch. */
  minute: number;
  count: number;
}

export type ExposureWriter = (cells: ExposureCell[]) => Promise<void>;

const SEP = "\u0000";

export class ExposureCounter {
  private pending = new Map<string, number>();
  private droppedCount = 0;

  constructor(private readonly maxCells = MAX_PENDING_CELLS) {}

  /** Counts `count` exposures (default one) served by `stage` at `now` (ms); SDKs report theirs in counts. */
  record(rolloutId: string, stage: number, arm: RolloutArm, now: number, count = 1): void {
    this.add(`${rolloutId}${SEP}${stage}${SEP}${arm}${SEP}${now - (now % 60_000)}`, count);
  }

  /** Exposures that could not be kept because the in-memory bound was reached. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Counts not yet written. */
  pendingCells(): ExposureCell[] {
    return [...this.pending].map(([key, count]) => cellOf(key, count));
  }

  /**
   * Hands the pending counts to `write` and forgets them; if `write` fails they are merged back
   * (added to whatever was counted meanwhile) and the error is rethrown. Returns the cells written.
   */
  async flush(write: ExposureWriter): Promise<number> {
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    const cells = [...batch].map(([key, count]) => cellOf(key, count));
    try {
      await write(cells);
      return cells.length;
    } catch (error) {
      for (const [key, count] of batch) this.add(key, count);
      throw error;
    }
  }

  private add(key: string, count: number): void {
    const current = this.pending.get(key);
    if (current !== undefined) this.pending.set(key, current + count);
    else if (this.pending.size < this.maxCells) this.pending.set(key, count);
    else this.droppedCount += count;
  }
}

function cellOf(key: string, count: number): ExposureCell {
  const [rolloutId, stage, arm, minute] = key.split(SEP);
  return { rolloutId, stage: Number(stage), arm: arm as RolloutArm, minute: Number(minute), count };
}

/**
 * One statement for the whole batch: `INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE`
 * adding the new counts to the stored ones. Cells are unique per batch (the counter aggregates),
 * so the upsert never touches a row twice.
 */
export function sqlExposureWriter(client: DbOrTx): ExposureWriter {
  return async (cells) => {
    if (cells.length === 0) return;
    await client.$executeRawUnsafe(
      `INSERT INTO "exposures" ("rollout_id", "stage_index", "arm", "minute", "count")
       SELECT r, s, a::"Arm", m::timestamptz, c
         FROM unnest($1::text[], $5::int[], $2::text[], $3::text[], $4::int[]) AS t(r, s, a, m, c)
       ON CONFLICT ("rollout_id", "stage_index", "arm", "minute") DO UPDATE SET "count" = "exposures"."count" + EXCLUDED."count"`,
      cells.map((c) => c.rolloutId),
      cells.map((c) => c.arm),
      cells.map((c) => new Date(c.minute).toISOString()),
      cells.map((c) => c.count),
      cells.map((c) => c.stage),
    );
  };
}

export interface ExposureFlusher {
  /** Flushes now (also what the timer does); resolves to the cells written, 0 on failure. */
  flushNow(): Promise<number>;
  /** Stops the timer and makes a last attempt to write everything. */
  stop(): Promise<void>;
}

/** Flushes `counter` every `intervalSeconds`; one flush at a time; failures are logged once per streak. */
export function startExposureFlusher(opts: { counter: ExposureCounter; write: ExposureWriter; intervalSeconds: number; log?: (message: string) => void }): ExposureFlusher {
  const log = opts.log ?? ((m) => console.warn(`[exposures] ${m}`));
  let running: Promise<number> | null = null;
  let failing = false;
  const flushNow = (): Promise<number> => {
    running ??= opts.counter
      .flush(opts.write)
      .then(
        (n) => {
          if (failing) log("flushing exposures works again");
          failing = false;
          return n;
        },
        (error: unknown) => {
          if (!failing) log(`cannot flush exposures, keeping them in memory: ${(error as Error).message}`);
          failing = true;
          return 0;
        },
      )
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void flushNow(), opts.intervalSeconds * 1000);
  timer.unref();
  return {
    flushNow,
    async stop() {
      clearInterval(timer);
      await running;
      await flushNow();
    },
  };
}
