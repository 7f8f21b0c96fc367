-- The single-write path: a first attempt that succeeds is kept in the delivery's own row (the row
-- fan-out wrote) instead of a row of its own in "attempts". Failures, retries and every later
-- attempt stay attempt rows. "all_attempts" reads both as one table, in the attempts' columns.

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "first_attempt_id" TEXT,
ADD COLUMN     "first_attempt_trigger" "attempt_trigger",
ADD COLUMN     "first_attempted_at" TIMESTAMPTZ(3),
ADD COLUMN     "first_duration_ms" INTEGER,
ADD COLUMN     "first_request_headers" JSONB,
ADD COLUMN     "first_request_url" TEXT,
ADD COLUMN     "first_response_body" TEXT,
ADD COLUMN     "first_response_body_truncated" BOOLEAN,
ADD COLUMN     "first_response_headers" JSONB,
ADD COLUMN     "first_response_status" INTEGER;

-- A plain UNION ALL of matching column types: PostgreSQL flattens it into an append, so a
-- filter or an ORDER BY ... LIMIT on the view reaches each branch's indexes. "row_created_at" is
-- when the row that holds the attempt was made: the attempt's own time for an attempt row, its
-- delivery's for a first attempt in the log row (made at most an hour later:
-- lib/delivery/attempt-outcome.ts). A read by attempt time bounds it too, so the deliveries'
-- time index finds the attempts kept in log rows (lib/delivery-log/attempt-log.ts).
CREATE VIEW "all_attempts" AS
  SELECT "id", "delivery_id", "app_id", "endpoint_id", "attempt_number", "trigger", "request_url", "request_headers",
         "response_status", "response_headers", "response_body", "response_body_truncated", "duration_ms", "error", "created_at",
         "created_at" AS "row_created_at"
  FROM "attempts"
  UNION ALL
  SELECT "first_attempt_id", "id", "app_id", "endpoint_id", 1, "first_attempt_trigger", "first_request_url", "first_request_headers",
         "first_response_status", "first_response_headers", "first_response_body", "first_response_body_truncated", "first_duration_ms", NULL::text, "first_attempted_at",
         "created_at"
  FROM "deliveries"
  WHERE "first_attempt_id" IS NOT NULL;

-- A success now grows its delivery's row by the first attempt. A page filled to a quarter keeps
-- room for that update on the same page (HOT: no index writes); the server makes new partitions
-- so (lib/delivery-log/partitions.ts), and the partitions already made take it for new rows.
DO $$
DECLARE part regclass;
BEGIN
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = '"deliveries"'::regclass LOOP
    EXECUTE format('ALTER TABLE %s SET (fillfactor = 25)', part);
  END LOOP;
END $$;
