-- AlterTable
ALTER TABLE "series" ADD COLUMN     "stale_since" TIMESTAMPTZ(3);
