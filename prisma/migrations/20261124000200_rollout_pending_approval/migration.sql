-- AlterTable
ALTER TABLE "rollouts" ADD COLUMN     "pending_approval" JSONB;
