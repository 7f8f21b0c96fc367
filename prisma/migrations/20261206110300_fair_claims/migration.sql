-- Claims share capacity across apps: each queue row knows its app, and an app's due rows are
-- read in order from its own range of the index (one app's backlog no longer queues the others).
ALTER TABLE "delivery_queue" ADD COLUMN "app_id" TEXT;
UPDATE "delivery_queue" q SET "app_id" = e."app_id" FROM "endpoints" e WHERE e."id" = q."endpoint_id";
-- Rows without an endpoint belong to a deleted app (the queue has no foreign keys): nothing to send.
DELETE FROM "delivery_queue" WHERE "app_id" IS NULL;
ALTER TABLE "delivery_queue" ALTER COLUMN "app_id" SET NOT NULL;
DROP INDEX "delivery_queue_unordered_run_at_idx";
CREATE INDEX "delivery_queue_app_run_at_idx" ON "delivery_queue"("app_id", "run_at") WHERE (fifo_seq IS NULL);

-- A big fan-out is done in chunks of endpoints (in id order): the last endpoint done so far.
ALTER TABLE "event_fanout_queue" ADD COLUMN "fanned_out_to" TEXT;
