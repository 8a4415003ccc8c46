/**
 * Exposure counts reported by in-process SDKs (POST /api/v1/exposures): how many evaluations a
 * rollout decided, per rollout, stage, arm and minute. They join the same per-minute exposure
 * aggregates as the server's own evaluations.
 */
import { z } from "zod";

/** Most count cells one request may carry. */
export const MAX_EXPOSURE_CELLS = 5000;

export const exposureCellSchema = z
  .object({
    rolloutId: z.string().min(1).max(200),
    /** The rollout's stage index when the SDK evaluated (the evaluation answer's rollout.stage). */
    stage: z.number().int().min(0).max(1000),
    arm: z.enum(["control", "treatment"]),
    /** Start of the minute, epoch milliseconds. */
    minute: z.number().int().min(0),
    count: z.number().int().min(1).max(1_000_000_000),
  })
  .strict();

export type ExposureCellInput = z.infer<typeof exposureCellSchema>;

export const exposureBatchSchema = z.object({ exposures: z.array(z.unknown()).max(MAX_EXPOSURE_CELLS) }).strict();

export interface ExposureIngestResponse {
  accepted: number;
  rejected: { index: number; errors: string[] }[];
}
