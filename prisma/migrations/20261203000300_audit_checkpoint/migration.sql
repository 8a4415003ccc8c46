-- The signed head of the audit chain (lib/domain/audit/chain.ts): one row, kept outside
-- audit_records and advanced in the same transaction as every append, so verify can tell a
-- deleted tail or a rewritten last record from an intact chain.

-- CreateTable
CREATE TABLE "audit_checkpoints" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "records" BIGINT NOT NULL,
    "head_id" BIGINT,
    "head_hash" TEXT NOT NULL,
    "keyed_from_id" BIGINT NOT NULL,
    "signature" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("id")
);

-- The cut-over: records that exist now stay plain SHA-256 and must still verify; every record
-- appended from here on is keyed. The application signs this row with its first append.
INSERT INTO "audit_checkpoints" ("id", "records", "head_id", "head_hash", "keyed_from_id", "signature", "updated_at")
SELECT 1,
       (SELECT count(*) FROM "audit_records"),
       (SELECT max("id") FROM "audit_records"),
       COALESCE((SELECT "hash" FROM "audit_records" ORDER BY "id" DESC LIMIT 1), repeat('0', 64)),
       COALESCE((SELECT max("id") FROM "audit_records"), 0) + 1,
       NULL,
       CURRENT_TIMESTAMP;
