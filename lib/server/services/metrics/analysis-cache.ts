/**
 * What the analysis keeps between reads, in process, bounded (WeightedLru), never stale:
 *
 * - The whole hours of a window before the settled boundary (the hour before the current one,
 *   settledBefore), read from the hourly rollups, are kept under the rollout's version of those
 *   hours (loadStageOutcomes): a batch that adds to them, late events included, on this instance
 *   or another, raises it, so the next read misses and reads again. Later hours and the minutes
 *   at a window's edges, the open minute among them, are read every time: live traffic lands
 *   there and leaves the kept part valid.
 * - Exposures older than any that can still be written (an SDK reports minutes up to
 *   MAX_EXPOSURE_AGE_MS old; evaluations count the current minute) are kept per hour boundary;
 *   the newer ones are read every time.
 *
 * A value is stored under the version read before it, and the data read may be newer; the next
 * read then finds a higher version and misses, so a cached value is never older than its key.
 */
import "server-only";
import type { Arm, RollupCounters } from "../../../domain/metrics/types";
import { MAX_EXPOSURE_AGE_MS } from "../../evaluation/sdk-exposures";
import { singleton } from "../../singleton";
import { WeightedLru } from "../../weighted-lru";
import { loadHourPoints, loadStageExposures, sumByArm, type ArmBucket, type StageFilter } from "./rollup-queries";

/** Chart points held at most (each with its histogram): a 30-day chart is 480, so ~200 such charts. */
const MAX_CACHED_POINTS = 100_000;
/** How far before "now" exposures are taken as final: the SDK's limit plus a day for flushes retried after an outage. */
const EXPOSURES_FINAL_AFTER_MS = MAX_EXPOSURE_AGE_MS + 24 * 3_600_000;
const HOUR_MS = 3_600_000;

/** Points of settled hours and their sums per arm (what a whole window adds up). */
export interface KeptPoints {
  points: readonly ArmBucket[];
  totals: Readonly<Record<Arm, RollupCounters>>;
}

type Cached = KeptPoints | Map<number, Record<Arm, number>>;

const cache = () => singleton("analysisCache", () => new WeightedLru<Cached>(MAX_CACHED_POINTS, (v) => ("points" in v ? v.points.length : v.size)));

async function cached<V extends Cached>(key: string, load: () => Promise<V>): Promise<V> {
  const hit = cache().get(key) as V | undefined;
  if (hit) return hit;
  const value = await load();
  cache().set(key, value);
  return value;
}

/** Hours before this are "settled": the version of loadStageOutcomes counts them, and their points are kept. */
export function settledBefore(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS);
}

/**
 * Chart points of the whole hours [hourFrom, hourTo) (loadHourPoints): those of the settled
 * hours kept under `settled.version` (read-only: withFreshPoints adds to copies), the later
 * ones read now.
 */
export async function hourPoints(
  rolloutId: string,
  settled: { before: Date; version: number },
  hourFrom: Date,
  hourTo: Date,
  stepMs: number,
  stages: StageFilter,
): Promise<{ kept: KeptPoints; recent: ArmBucket[] }> {
  const split = new Date(Math.min(hourTo.getTime(), Math.max(hourFrom.getTime(), settled.before.getTime())));
  const key = `hours|${rolloutId}|${settled.version}|${hourFrom.getTime()}|${split.getTime()}|${stepMs}|${stages.join(",")}`;
  const readKept = async (): Promise<KeptPoints> => {
    const points = await loadHourPoints(rolloutId, hourFrom, split, stepMs, stages);
    return { points, totals: sumByArm(points) };
  };
  const [kept, recent] = await Promise.all([
    hourFrom < split ? cached(key, readKept) : Promise.resolve({ points: [], totals: sumByArm([]) }),
    loadHourPoints(rolloutId, split, hourTo, stepMs, stages),
  ]);
  return { kept, recent };
}

/** Exposures per (stage, arm) of the stages listed, all minutes: the final part kept, the rest read now. */
export async function stageExposures(rolloutId: string, stages: StageFilter, now: Date): Promise<Map<number, Record<Arm, number>>> {
  // A `now` in the future (a caller's clock) must not declare minutes final that are not yet.
  const finalBefore = new Date(Math.floor((Math.min(now.getTime(), Date.now()) - EXPOSURES_FINAL_AFTER_MS) / HOUR_MS) * HOUR_MS);
  const [final, recent] = await Promise.all([
    cached(`exposures|${rolloutId}|${finalBefore.getTime()}|${stages.join(",")}`, () => loadStageExposures(rolloutId, stages, { before: finalBefore })),
    loadStageExposures(rolloutId, stages, { since: finalBefore }),
  ]);
  const out = new Map<number, Record<Arm, number>>();
  for (const part of [final, recent]) {
    for (const [s, arms] of part) {
      const entry = out.get(s) ?? { control: 0, treatment: 0 };
      entry.control += arms.control;
      entry.treatment += arms.treatment;
      out.set(s, entry);
    }
  }
  return out;
}

/** Forgets everything kept (tests that rewrite rollups outside ingestion). */
export function clearAnalysisCache(): void {
  cache().clear();
}
