-- Which SLO alerts fire now: breach policies act once per firing (on the rising edge), and a
-- crash between an alert and its actions is finished on the next evaluator tick.
-- CreateTable
CREATE TABLE "slo_alert_states" (
    "slo_id" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "firing" BOOLEAN NOT NULL DEFAULT false,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "handled_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "details" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slo_alert_states_pkey" PRIMARY KEY ("slo_id","trigger")
);

-- AddForeignKey
ALTER TABLE "slo_alert_states" ADD CONSTRAINT "slo_alert_states_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;
