-- CreateTable
CREATE TABLE "series" (
    "id" SERIAL NOT NULL,
    "asset_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stale_since" TIMESTAMPTZ(3),

    CONSTRAINT "series_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "samples" (
    "series_id" INTEGER NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "value_num" DOUBLE PRECISION,
    "value_bool" BOOLEAN,
    "value_text" TEXT,

    CONSTRAINT "samples_pkey" PRIMARY KEY ("series_id","time")
);

-- CreateTable
CREATE TABLE "sample_minutes" (
    "series_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "last_time" TIMESTAMPTZ(3) NOT NULL,
    "last_value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "sample_minutes_pkey" PRIMARY KEY ("series_id","bucket")
);

-- CreateTable
CREATE TABLE "sample_hours" (
    "series_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "last_time" TIMESTAMPTZ(3) NOT NULL,
    "last_value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "sample_hours_pkey" PRIMARY KEY ("series_id","bucket")
);

-- CreateTable
CREATE TABLE "state_events" (
    "asset_id" UUID NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "state" INTEGER NOT NULL,

    CONSTRAINT "state_events_pkey" PRIMARY KEY ("asset_id","time")
);

-- CreateTable
CREATE TABLE "production_counts" (
    "asset_id" UUID NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "scrap" INTEGER NOT NULL,

    CONSTRAINT "production_counts_pkey" PRIMARY KEY ("asset_id","time")
);

-- CreateTable
CREATE TABLE "production_hours" (
    "asset_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "count" BIGINT NOT NULL,
    "scrap" BIGINT NOT NULL,

    CONSTRAINT "production_hours_pkey" PRIMARY KEY ("asset_id","bucket")
);

-- CreateTable
CREATE TABLE "shifts" (
    "id" UUID NOT NULL,
    "asset_id" UUID NOT NULL,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "end_time" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'mqtt',

    CONSTRAINT "shifts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product_types" (
    "id" UUID NOT NULL,
    "asset_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "cycle_time_ms" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_types_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_orders" (
    "id" UUID NOT NULL,
    "asset_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "product_type_id" UUID,
    "quantity" INTEGER,
    "start_time" TIMESTAMPTZ(3),
    "end_time" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quarantined_messages" (
    "id" BIGSERIAL NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "topic" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "payload" BYTEA NOT NULL,
    "payload_bytes" INTEGER NOT NULL,

    CONSTRAINT "quarantined_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "unmapped_topics" (
    "path" TEXT NOT NULL,
    "example_topic" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "message_count" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',

    CONSTRAINT "unmapped_topics_pkey" PRIMARY KEY ("path")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "series_asset_id_metric_key" ON "series"("asset_id", "metric");

-- CreateIndex
CREATE UNIQUE INDEX "shifts_asset_id_start_time_key" ON "shifts"("asset_id", "start_time");

-- CreateIndex
CREATE UNIQUE INDEX "product_types_asset_id_external_id_key" ON "product_types"("asset_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "work_orders_asset_id_external_id_key" ON "work_orders"("asset_id", "external_id");

-- CreateIndex
CREATE INDEX "quarantined_messages_received_at_idx" ON "quarantined_messages"("received_at" DESC);

-- AddForeignKey
ALTER TABLE "series" ADD CONSTRAINT "series_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_types" ADD CONSTRAINT "product_types_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_product_type_id_fkey" FOREIGN KEY ("product_type_id") REFERENCES "product_types"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The time-series tables have no foreign keys on purpose (a per-row check halves the ingest
-- rate); the worker only ever references series and assets it has just read or created.

-- TimescaleDB (only where the extension exists): the raw and roll-up time series become
-- hypertables; with the community license, raw samples older than 7 days are compressed by
-- the extension's own job scheduler. On plain PostgreSQL these stay ordinary tables.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    PERFORM create_hypertable('samples', by_range('time', INTERVAL '1 day'));
    PERFORM create_hypertable('sample_minutes', by_range('bucket', INTERVAL '7 days'));
    PERFORM create_hypertable('state_events', by_range('time', INTERVAL '7 days'));
    PERFORM create_hypertable('production_counts', by_range('time', INTERVAL '7 days'));
    IF current_setting('timescaledb.license', true) IS DISTINCT FROM 'apache' THEN
      ALTER TABLE samples SET (timescaledb.compress, timescaledb.compress_segmentby = 'series_id', timescaledb.compress_orderby = 'time DESC');
      PERFORM add_compression_policy('samples', INTERVAL '7 days');
    END IF;
  END IF;
END
$$;
