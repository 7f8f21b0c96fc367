-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "next_attempt_trigger" "attempt_trigger" NOT NULL DEFAULT 'auto';

-- CreateTable
CREATE TABLE "operational_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "app_id" TEXT,
    "endpoint_id" TEXT,
    "delivery_id" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "send_attempts" INTEGER NOT NULL DEFAULT 0,
    "next_send_at" TIMESTAMPTZ(3),
    "last_send_error" TEXT,

    CONSTRAINT "operational_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "operational_events_created_at_id_idx" ON "operational_events"("created_at", "id");

-- CreateIndex
CREATE INDEX "operational_events_sent_at_next_send_at_idx" ON "operational_events"("sent_at", "next_send_at");

-- AddForeignKey
ALTER TABLE "operational_events" ADD CONSTRAINT "operational_events_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
