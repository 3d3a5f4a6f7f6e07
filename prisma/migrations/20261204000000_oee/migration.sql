-- CreateTable
CREATE TABLE "reason_codes" (
    "id" UUID NOT NULL,
    "site_id" UUID,
    "code" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reason_codes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "reason_codes_category_check" CHECK ("category" IN ('running', 'plannedStop', 'unplannedStop'))
);

-- CreateTable
CREATE TABLE "stop_classifications" (
    "asset_id" UUID NOT NULL,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "reason_code" INTEGER NOT NULL,
    "comment" TEXT,
    "classified_by" TEXT NOT NULL,
    "classified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stop_classifications_pkey" PRIMARY KEY ("asset_id","start_time")
);

-- CreateIndex: NULLS NOT DISTINCT (PostgreSQL 15+) so that plant-wide rows (site_id NULL) are unique per code too.
CREATE UNIQUE INDEX "reason_codes_site_id_code_key" ON "reason_codes"("site_id", "code") NULLS NOT DISTINCT;

-- No foreign keys to assets, like the time-series tables: classifications and reason codes are
-- history and configuration that stay readable whatever happens to the asset rows.

-- CreateTable
CREATE TABLE "state_hours" (
    "asset_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "spans" TEXT NOT NULL,

    CONSTRAINT "state_hours_pkey" PRIMARY KEY ("asset_id","bucket")
);

-- CreateTable
CREATE TABLE "state_hour_coverage" (
    "asset_id" UUID NOT NULL,
    "covered_until" TIMESTAMPTZ(3),
    "refreshed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "state_hour_coverage_pkey" PRIMARY KEY ("asset_id")
);

-- CreateTable
CREATE TABLE "state_event_changes" (
    "id" BIGSERIAL NOT NULL,
    "asset_id" UUID NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "state_event_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "state_event_changes_asset_id_idx" ON "state_event_changes"("asset_id");

-- Every inserted, changed or deleted state event is logged for the state_hours refresh (lib/oee/refresh-state-hours.ts).
-- A plain append without unique keys: it never waits on another transaction, so ingest cannot deadlock on it.
-- Row-level (not a transition table) because TimescaleDB hypertables support only row-level triggers.
CREATE FUNCTION "log_state_event_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO "state_event_changes" ("asset_id", "time") VALUES (OLD."asset_id", OLD."time");
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "state_event_changes" ("asset_id", "time") VALUES (NEW."asset_id", NEW."time");
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "state_events_log_change" AFTER INSERT OR UPDATE OR DELETE ON "state_events"
    FOR EACH ROW EXECUTE FUNCTION "log_state_event_change"();
