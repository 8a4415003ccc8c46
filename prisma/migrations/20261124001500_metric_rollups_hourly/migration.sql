-- Hourly copies of the per-minute outcome rollups, maintained by ingestion in the same
-- transaction. The analysis reads whole hours from here and only the partial hours at the edges
-- of a range from metric_rollups, so 30 days cost ~1,440 rows instead of ~86,400.

-- Token means need to know how many events reported tokens, and the total (input + output)
-- per request needs its own sum of squares.
-- AlterTable
ALTER TABLE "metric_rollups" ADD COLUMN     "input_tokens_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "output_tokens_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tokens_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tokens_sum_sq" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "metric_rollups_hourly" (
    "rollout_id" TEXT NOT NULL,
    "arm" "Arm" NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "stage_index" INTEGER NOT NULL DEFAULT 0,
    "count" INTEGER NOT NULL DEFAULT 0,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "errors_by_type" JSONB NOT NULL DEFAULT '{}',
    "feedback_up" INTEGER NOT NULL DEFAULT 0,
    "feedback_down" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "input_tokens_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "input_tokens_sum_sq" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "output_tokens_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "output_tokens_sum_sq" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "input_tokens_count" INTEGER NOT NULL DEFAULT 0,
    "output_tokens_count" INTEGER NOT NULL DEFAULT 0,
    "tokens_count" INTEGER NOT NULL DEFAULT 0,
    "tokens_sum_sq" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cost_count" INTEGER NOT NULL DEFAULT 0,
    "cost_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cost_sum_sq" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "quality_count" INTEGER NOT NULL DEFAULT 0,
    "quality_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "quality_sum_sq" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latency_count" INTEGER NOT NULL DEFAULT 0,
    "latency_histogram" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "metric_rollups_hourly_pkey" PRIMARY KEY ("rollout_id","arm","hour")
);
