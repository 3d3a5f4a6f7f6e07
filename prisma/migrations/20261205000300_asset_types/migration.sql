-- CreateTable: which asset type version each asset followed from when to when (lib/asset-types/find-type-version-at.ts).
CREATE TABLE "asset_type_assignments" (
    "id" BIGSERIAL NOT NULL,
    "asset_id" UUID NOT NULL,
    "type_version_id" UUID NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),

    CONSTRAINT "asset_type_assignments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "asset_type_assignments_valid_range" CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from")
);

-- CreateIndex
CREATE INDEX "asset_type_assignments_asset_id_valid_from_idx" ON "asset_type_assignments"("asset_id", "valid_from");

-- CreateIndex
CREATE INDEX "asset_type_assignments_type_version_id_idx" ON "asset_type_assignments"("type_version_id");

-- At most one open (current) assignment per asset.
CREATE UNIQUE INDEX "asset_type_assignments_open_key" ON "asset_type_assignments"("asset_id") WHERE "valid_to" IS NULL;

-- AddForeignKey
ALTER TABLE "asset_type_assignments" ADD CONSTRAINT "asset_type_assignments_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "asset_type_assignments" ADD CONSTRAINT "asset_type_assignments_type_version_id_fkey" FOREIGN KEY ("type_version_id") REFERENCES "asset_type_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Assets typed before this migration: their current version has applied since they were created.
INSERT INTO "asset_type_assignments" ("asset_id", "type_version_id", "valid_from")
SELECT "id", "type_version_id", "created_at" FROM "assets" WHERE "type_version_id" IS NOT NULL;

-- Every change of assets.type_version_id closes the open assignment and opens the next, whoever makes it
-- (the types page, the asset form, the seed), at the transaction's time. Untyped periods have no row.
CREATE FUNCTION "record_asset_type_assignment"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."type_version_id" IS NOT DISTINCT FROM OLD."type_version_id" THEN
      RETURN NULL;
    END IF;
    UPDATE "asset_type_assignments" SET "valid_to" = now()
    WHERE "asset_id" = NEW."id" AND "valid_to" IS NULL;
  END IF;
  IF NEW."type_version_id" IS NOT NULL THEN
    INSERT INTO "asset_type_assignments" ("asset_id", "type_version_id", "valid_from")
    VALUES (NEW."id", NEW."type_version_id", now());
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "assets_record_type_assignment" AFTER INSERT OR UPDATE OF "type_version_id" ON "assets"
    FOR EACH ROW EXECUTE FUNCTION "record_asset_type_assignment"();
