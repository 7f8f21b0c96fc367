-- Operational webhooks registered through the Svix API: environment-wide receivers of operational
-- events, each with its own signing secret, and one send row per event and receiver.
-- CreateTable
CREATE TABLE "operational_webhook_endpoints" (
    "id" TEXT NOT NULL,
    "uid" TEXT,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "event_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "throttle_rate" INTEGER,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "headers" JSONB NOT NULL DEFAULT '{}',
    "secret_encrypted" TEXT NOT NULL,
    "previous_secret_encrypted" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "operational_webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operational_webhook_sends" (
    "operational_event_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "send_attempts" INTEGER NOT NULL DEFAULT 0,
    "next_send_at" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "last_send_error" TEXT,

    CONSTRAINT "operational_webhook_sends_pkey" PRIMARY KEY ("operational_event_id","endpoint_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "operational_webhook_endpoints_uid_key" ON "operational_webhook_endpoints"("uid");

-- CreateIndex
CREATE INDEX "operational_webhook_endpoints_created_at_id_idx" ON "operational_webhook_endpoints"("created_at", "id");

-- CreateIndex
CREATE INDEX "operational_webhook_sends_next_send_at_idx" ON "operational_webhook_sends"("next_send_at");

-- AddForeignKey
ALTER TABLE "operational_webhook_sends" ADD CONSTRAINT "operational_webhook_sends_operational_event_id_fkey" FOREIGN KEY ("operational_event_id") REFERENCES "operational_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operational_webhook_sends" ADD CONSTRAINT "operational_webhook_sends_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "operational_webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
