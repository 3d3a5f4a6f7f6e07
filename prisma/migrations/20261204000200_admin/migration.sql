-- CreateTable: sign-in attempts per e-mail and per client address (lib/auth/rate-limit.ts).
CREATE TABLE "login_attempts" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "login_attempts_pkey" PRIMARY KEY ("key")
);

-- CreateIndex: expired windows are purged by window_start.
CREATE INDEX "login_attempts_window_start_idx" ON "login_attempts"("window_start");
