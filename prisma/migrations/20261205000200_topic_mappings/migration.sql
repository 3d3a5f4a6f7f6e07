-- CreateTable: an admin's mapping of an asset path seen on the broker to an existing asset (lib/topics).
CREATE TABLE "topic_mappings" (
    "path" TEXT NOT NULL,
    "asset_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "topic_mappings_pkey" PRIMARY KEY ("path")
);

-- CreateIndex
CREATE INDEX "topic_mappings_asset_id_idx" ON "topic_mappings"("asset_id");

-- An unmapped path is pending until an admin maps, ignores or rejects it.
ALTER TABLE "unmapped_topics" ADD CONSTRAINT "unmapped_topics_status_check" CHECK ("status" IN ('pending', 'ignored', 'rejected', 'mapped'));
