-- CreateTable: each site's weekly shift pattern, one row per version (lib/shifts).
CREATE TABLE "shift_patterns" (
    "site_id" UUID NOT NULL,
    "valid_from" DATE NOT NULL,
    "shifts" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shift_patterns_pkey" PRIMARY KEY ("site_id", "valid_from")
);

-- CreateTable: holidays, changed days and overtime of a site.
CREATE TABLE "shift_exceptions" (
    "site_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "mode" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "shifts" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shift_exceptions_pkey" PRIMARY KEY ("site_id", "date"),
    CONSTRAINT "shift_exceptions_mode_check" CHECK ("mode" IN ('closed', 'replace', 'add'))
);
