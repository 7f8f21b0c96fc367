-- Payload retention remembers how far it has got: each run walks from the previous run's cutoff
-- (less a margin) instead of from the oldest row, so its cost follows what expired since, not
-- everything it has already purged (lib/retention/purge-expired-payloads.ts).
-- CreateTable
CREATE TABLE "retention_progress" (
    "job" TEXT NOT NULL,
    "done_before" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "retention_progress_pkey" PRIMARY KEY ("job")
);
