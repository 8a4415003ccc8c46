-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'operator', 'reviewer', 'admin');

-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('evaluate', 'ingest', 'manage');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('user', 'api_key', 'system');

-- CreateEnum
CREATE TYPE "FlagKind" AS ENUM ('model', 'prompt', 'json');

-- CreateEnum
CREATE TYPE "RolloutStrategy" AS ENUM ('shadow', 'canary', 'ab_test', 'blue_green');

-- CreateEnum
CREATE TYPE "RolloutState" AS ENUM ('draft', 'running', 'paused', 'awaiting_approval', 'completed', 'rolled_back', 'aborted');

-- CreateEnum
CREATE TYPE "Arm" AS ENUM ('control', 'treatment');

-- CreateEnum
CREATE TYPE "GateVerdict" AS ENUM ('pass', 'fail', 'inconclusive');

-- CreateEnum
CREATE TYPE "ApprovalDecision" AS ENUM ('approved', 'rejected');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "environments" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config_version" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "environments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "roles" "Role"[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "last_login_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_attempts" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "environment_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" "ApiKeyScope"[],
    "rate_limit_per_second" INTEGER NOT NULL DEFAULT 1000,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flags" (
    "id" TEXT NOT NULL,
    "environment_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "kind" "FlagKind" NOT NULL DEFAULT 'json',
    "variants" JSONB NOT NULL,
    "rules" JSONB NOT NULL DEFAULT '[]',
    "default_variant" TEXT NOT NULL,
    "fallback_variant" TEXT NOT NULL,
    "stickiness" TEXT NOT NULL DEFAULT 'userId',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "kill_switch" BOOLEAN NOT NULL DEFAULT false,
    "kill_switch_reason" TEXT,
    "salt" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "flags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollouts" (
    "id" TEXT NOT NULL,
    "environment_id" TEXT NOT NULL,
    "flag_id" TEXT NOT NULL,
    "strategy" "RolloutStrategy" NOT NULL,
    "state" "RolloutState" NOT NULL DEFAULT 'draft',
    "description" TEXT NOT NULL DEFAULT '',
    "control_variant" TEXT NOT NULL,
    "treatment_variant" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "current_stage_index" INTEGER NOT NULL DEFAULT 0,
    "stage_started_at" TIMESTAMPTZ(3),
    "auto_advance" BOOLEAN NOT NULL DEFAULT false,
    "required_approvals" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "last_automatic_action" TEXT,

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_stages" (
    "id" TEXT NOT NULL,
    "rollout_id" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "traffic_basis_points" INTEGER NOT NULL,
    "shadow_sample_basis_points" INTEGER NOT NULL DEFAULT 0,
    "min_bake_seconds" INTEGER NOT NULL,
    "min_samples_per_arm" INTEGER NOT NULL,
    "requires_approval" BOOLEAN NOT NULL DEFAULT false,
    "gates" JSONB NOT NULL DEFAULT '[]',
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "rollout_stages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_transitions" (
    "id" TEXT NOT NULL,
    "rollout_id" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "from_state" "RolloutState" NOT NULL,
    "to_state" "RolloutState" NOT NULL,
    "from_stage" INTEGER NOT NULL,
    "to_stage" INTEGER NOT NULL,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT NOT NULL,
    "comment" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollout_transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approvals" (
    "id" TEXT NOT NULL,
    "rollout_id" TEXT NOT NULL,
    "stage_index" INTEGER NOT NULL,
    "requested_by" TEXT NOT NULL,
    "decided_by_id" TEXT NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gate_results" (
    "id" TEXT NOT NULL,
    "rollout_id" TEXT NOT NULL,
    "stage_index" INTEGER NOT NULL,
    "gate_name" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "verdict" "GateVerdict" NOT NULL,
    "critical" BOOLEAN NOT NULL DEFAULT false,
    "value" DOUBLE PRECISION,
    "control_value" DOUBLE PRECISION,
    "ci_low" DOUBLE PRECISION,
    "ci_high" DOUBLE PRECISION,
    "p_value" DOUBLE PRECISION,
    "details" JSONB NOT NULL DEFAULT '{}',
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gate_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slos" (
    "id" TEXT NOT NULL,
    "environment_id" TEXT NOT NULL,
    "flag_key" TEXT,
    "name" TEXT NOT NULL,
    "success_rate_target" DOUBLE PRECISION NOT NULL,
    "window_days" INTEGER NOT NULL DEFAULT 28,
    "latency_p50_ms_max" DOUBLE PRECISION,
    "latency_p95_ms_max" DOUBLE PRECISION,
    "latency_p99_ms_max" DOUBLE PRECISION,
    "cost_per_request_usd_max" DOUBLE PRECISION,
    "cost_per_day_usd_max" DOUBLE PRECISION,
    "policies" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_rollups" (
    "rollout_id" TEXT NOT NULL,
    "arm" "Arm" NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
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
    "cost_count" INTEGER NOT NULL DEFAULT 0,
    "cost_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cost_sum_sq" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "quality_count" INTEGER NOT NULL DEFAULT 0,
    "quality_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "quality_sum_sq" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latency_count" INTEGER NOT NULL DEFAULT 0,
    "latency_histogram" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "metric_rollups_pkey" PRIMARY KEY ("rollout_id","arm","minute")
);

-- CreateTable
CREATE TABLE "flag_metric_rollups" (
    "environment_id" TEXT NOT NULL,
    "flag_key" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "cost_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latency_count" INTEGER NOT NULL DEFAULT 0,
    "latency_histogram" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "flag_metric_rollups_pkey" PRIMARY KEY ("environment_id","flag_key","variant","minute")
);

-- CreateTable
CREATE TABLE "exposures" (
    "rollout_id" TEXT NOT NULL,
    "arm" "Arm" NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "exposures_pkey" PRIMARY KEY ("rollout_id","arm","minute")
);

-- CreateTable
CREATE TABLE "metric_events" (
    "environment_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "flag_key" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "rollout_id" TEXT,
    "arm" "Arm",
    "subject_key" TEXT,
    "request_id" TEXT,
    "pair_id" TEXT,
    "model" TEXT,
    "latency_ms" DOUBLE PRECISION,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "cost_usd" DOUBLE PRECISION,
    "success" BOOLEAN NOT NULL,
    "error_type" TEXT,
    "feedback" INTEGER,
    "retried" BOOLEAN NOT NULL DEFAULT false,
    "quality_score" DOUBLE PRECISION,
    "attributes" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "metric_events_pkey" PRIMARY KEY ("environment_id","id")
);

-- CreateTable
CREATE TABLE "model_prices" (
    "id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "input_per_million_usd" DOUBLE PRECISION NOT NULL,
    "output_per_million_usd" DOUBLE PRECISION NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "model_prices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhooks" (
    "id" TEXT NOT NULL,
    "environment_id" TEXT,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL,
    "webhook_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_records" (
    "id" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_label" TEXT NOT NULL,
    "actor_roles" TEXT[],
    "action" TEXT NOT NULL,
    "resource_type" TEXT NOT NULL,
    "resource_id" TEXT NOT NULL,
    "environment_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "context" JSONB NOT NULL DEFAULT '{}',
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "environments_key_key" ON "environments"("key");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "sign_in_attempts_email_attempted_at_idx" ON "sign_in_attempts"("email", "attempted_at");

-- CreateIndex
CREATE INDEX "sign_in_attempts_ip_attempted_at_idx" ON "sign_in_attempts"("ip", "attempted_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_environment_id_idx" ON "api_keys"("environment_id");

-- CreateIndex
CREATE UNIQUE INDEX "flags_environment_id_key_key" ON "flags"("environment_id", "key");

-- CreateIndex
CREATE INDEX "rollouts_environment_id_state_idx" ON "rollouts"("environment_id", "state");

-- CreateIndex
CREATE INDEX "rollouts_flag_id_idx" ON "rollouts"("flag_id");

-- CreateIndex
CREATE UNIQUE INDEX "rollout_stages_rollout_id_index_key" ON "rollout_stages"("rollout_id", "index");

-- CreateIndex
CREATE INDEX "rollout_transitions_rollout_id_created_at_idx" ON "rollout_transitions"("rollout_id", "created_at");

-- CreateIndex
CREATE INDEX "approvals_rollout_id_idx" ON "approvals"("rollout_id");

-- CreateIndex
CREATE INDEX "gate_results_rollout_id_evaluated_at_idx" ON "gate_results"("rollout_id", "evaluated_at");

-- CreateIndex
CREATE INDEX "slos_environment_id_idx" ON "slos"("environment_id");

-- CreateIndex
CREATE INDEX "metric_events_rollout_id_occurred_at_idx" ON "metric_events"("rollout_id", "occurred_at");

-- CreateIndex
CREATE INDEX "metric_events_pair_id_idx" ON "metric_events"("pair_id");

-- CreateIndex
CREATE INDEX "metric_events_received_at_idx" ON "metric_events"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "model_prices_provider_model_key" ON "model_prices"("provider", "model");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhook_id_created_at_idx" ON "webhook_deliveries"("webhook_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "audit_records_hash_key" ON "audit_records"("hash");

-- CreateIndex
CREATE INDEX "audit_records_occurred_at_idx" ON "audit_records"("occurred_at");

-- CreateIndex
CREATE INDEX "audit_records_actor_id_idx" ON "audit_records"("actor_id");

-- CreateIndex
CREATE INDEX "audit_records_action_idx" ON "audit_records"("action");

-- CreateIndex
CREATE INDEX "audit_records_resource_type_resource_id_idx" ON "audit_records"("resource_type", "resource_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flags" ADD CONSTRAINT "flags_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_flag_id_fkey" FOREIGN KEY ("flag_id") REFERENCES "flags"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_stages" ADD CONSTRAINT "rollout_stages_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_transitions" ADD CONSTRAINT "rollout_transitions_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_results" ADD CONSTRAINT "gate_results_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slos" ADD CONSTRAINT "slos_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
