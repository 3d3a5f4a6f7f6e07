-- TimescaleDB is optional. Create the extension only where the server can load it
-- (installed and listed in shared_preload_libraries); on plain PostgreSQL this is a no-op.
-- Later migrations guard their hypertable, compression and retention steps on pg_extension.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
     AND current_setting('shared_preload_libraries', true) ILIKE '%timescaledb%' THEN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
  END IF;
END
$$;
