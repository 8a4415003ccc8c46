-- Database-side guarantees that schema.prisma cannot express. Prisma Migrate does not model
-- triggers, functions or partial indexes; tests/integration/schema-drift.test.ts allowlists
-- exactly the objects created here.

-- CreateFunction
-- The audit trail is append-only: any UPDATE, DELETE or TRUNCATE of audit_records fails with
-- SQLSTATE 'RG001' (class "RG" is not used by PostgreSQL; reserved here for Rollgate) and the
-- message 'audit_records is append-only', so callers can tell this refusal from other errors.
CREATE FUNCTION "audit_records_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_records is append-only'
        USING ERRCODE = 'RG001',
              HINT = TG_OP || ' refused; audit records can only be inserted';
END;
$$;

-- CreateTrigger
CREATE TRIGGER "audit_records_append_only"
    BEFORE UPDATE OR DELETE ON "audit_records"
    FOR EACH ROW EXECUTE FUNCTION "audit_records_refuse_change"();

-- CreateTrigger
CREATE TRIGGER "audit_records_no_truncate"
    BEFORE TRUNCATE ON "audit_records"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_records_refuse_change"();

-- CreateIndex
-- At most one rollout per flag may be live (running, paused or awaiting approval); drafts and
-- finished rollouts are unrestricted. Starting a second one fails with unique_violation (23505).
CREATE UNIQUE INDEX "rollouts_one_active_per_flag" ON "rollouts"("flag_id")
    WHERE "state" IN ('running', 'paused', 'awaiting_approval');

-- CreateFunction
-- Every committed change of environments.config_version is announced on channel
-- 'rollgate_config' with payload {"environmentId": <id>, "version": <n>}. NOTIFY is delivered at
-- commit, so listeners never see a version whose transaction rolled back. (PGlite does not deliver
-- NOTIFY across connections; the embedded default relies on in-process notification instead.)
CREATE FUNCTION "environments_notify_config_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(
        'rollgate_config',
        json_build_object('environmentId', NEW.id, 'version', NEW.config_version)::text
    );
    RETURN NULL;
END;
$$;

-- CreateTrigger
CREATE TRIGGER "environments_config_version_notify"
    AFTER UPDATE OF "config_version" ON "environments"
    FOR EACH ROW
    WHEN (OLD."config_version" IS DISTINCT FROM NEW."config_version")
    EXECUTE FUNCTION "environments_notify_config_change"();
