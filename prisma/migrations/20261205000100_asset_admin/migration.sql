-- AlterTable: an asset-level ideal cycle time (work cells), the OEE fallback when no work order gives one.
ALTER TABLE "assets" ADD COLUMN "ideal_cycle_time_ms" DOUBLE PRECISION;
