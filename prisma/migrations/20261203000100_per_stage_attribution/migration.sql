-- Per-stage attribution: the stage that served an exposure or an outcome is part of the key of
-- every rollup row, so a stage's numbers are exact to the millisecond of its transition instead
-- of a minute bucket shared with the previous stage. Negative stage indexes are the outcomes
-- that belong to no stage: -1 reported after the rollout ended, -2 for no known stage.

-- Rows stored before this migration already carry the stage of their minute (metric rollups),
-- so only the key changes.
ALTER TABLE "metric_rollups" DROP CONSTRAINT "metric_rollups_pkey",
ADD CONSTRAINT "metric_rollups_pkey" PRIMARY KEY ("rollout_id", "stage_index", "arm", "minute");

ALTER TABLE "metric_rollups_hourly" DROP CONSTRAINT "metric_rollups_hourly_pkey",
ADD CONSTRAINT "metric_rollups_hourly_pkey" PRIMARY KEY ("rollout_id", "stage_index", "arm", "hour");

-- Exposures gain the stage; stored rows get the stage in force at the start of their minute
-- (the best a per-minute row allows), stage 0 when none had started.
ALTER TABLE "exposures" ADD COLUMN "stage_index" INTEGER NOT NULL DEFAULT 0;

UPDATE "exposures" e SET "stage_index" = s."index"
  FROM "rollout_stages" s
 WHERE s."rollout_id" = e."rollout_id"
   AND s."started_at" IS NOT NULL
   AND s."started_at" <= e."minute"
   AND NOT EXISTS (
     SELECT 1 FROM "rollout_stages" later
      WHERE later."rollout_id" = e."rollout_id" AND later."started_at" IS NOT NULL
        AND later."started_at" <= e."minute" AND later."started_at" > s."started_at");

ALTER TABLE "exposures" DROP CONSTRAINT "exposures_pkey",
ADD CONSTRAINT "exposures_pkey" PRIMARY KEY ("rollout_id", "stage_index", "arm", "minute");
