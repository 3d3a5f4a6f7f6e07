-- AlterTable: a user may be limited to some sites (lib/auth/site-scope.ts); empty means every site.
ALTER TABLE "users" ADD COLUMN "site_ids" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[];
