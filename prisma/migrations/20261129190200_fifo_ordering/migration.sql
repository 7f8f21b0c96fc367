-- Ordered (FIFO) delivery per endpoint, opt-in. Acceptance order is a sequence on the fan-out
-- queue, assigned in the accepting transaction; a FIFO endpoint's queue rows carry their place
-- in its line. Ordinary rows keep their own run_at index, so their claims do not change.
CREATE TYPE "endpoint_ordering" AS ENUM ('concurrent', 'fifo');

ALTER TABLE "endpoints" ADD COLUMN "ordering" "endpoint_ordering" NOT NULL DEFAULT 'concurrent';
CREATE INDEX "endpoints_fifo_idx" ON "endpoints"("id") WHERE (ordering = 'fifo'::endpoint_ordering);

ALTER TABLE "event_fanout_queue" ADD COLUMN "seq" BIGSERIAL NOT NULL;
CREATE INDEX "event_fanout_queue_seq_idx" ON "event_fanout_queue"("seq");

ALTER TABLE "delivery_queue" ADD COLUMN "fifo_seq" BIGINT;
DROP INDEX "delivery_queue_run_at_idx";
CREATE INDEX "delivery_queue_unordered_run_at_idx" ON "delivery_queue"("run_at") WHERE (fifo_seq IS NULL);
CREATE INDEX "delivery_queue_fifo_idx" ON "delivery_queue"("endpoint_id", "fifo_seq") WHERE (fifo_seq IS NOT NULL);
