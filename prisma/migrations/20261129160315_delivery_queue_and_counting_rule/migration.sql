-- The queue apart from the log: due work lives in a narrow table that claims lease and outcomes
-- delete, so a delivery's log row is written twice (created, final or retry scheduled) and the
-- log's indexes are off the hot path. Events wait for fan-out in a queue of their own.
CREATE TABLE "delivery_queue" (
    "delivery_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "run_at" TIMESTAMPTZ(3) NOT NULL,
    "leased_by" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "delivery_queue_pkey" PRIMARY KEY ("delivery_id")
);
CREATE INDEX "delivery_queue_run_at_idx" ON "delivery_queue"("run_at");
-- Leases are HOT updates (no indexed column changes) when the page has room; the table holds
-- only the backlog, so vacuum it often.
ALTER TABLE "delivery_queue" SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);

CREATE TABLE "event_fanout_queue" (
    "event_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_fanout_queue_pkey" PRIMARY KEY ("event_id")
);
CREATE INDEX "event_fanout_queue_created_at_idx" ON "event_fanout_queue"("created_at");
ALTER TABLE "event_fanout_queue" SET (autovacuum_vacuum_scale_factor = 0.02);

-- Work in flight at the upgrade keeps its schedule (leases are dropped: the new server claims afresh).
INSERT INTO "delivery_queue" ("delivery_id", "endpoint_id", "run_at")
SELECT "id", "endpoint_id", COALESCE("next_attempt_at", now()) FROM "deliveries" WHERE "status" IN ('pending', 'retrying');

DROP INDEX "deliveries_due_idx";
ALTER TABLE "deliveries" DROP COLUMN "lease_expires_at",
DROP COLUMN "leased_by";

-- One counting rule: a delivery counts once, in the hour it was created, by its current state
-- (failed includes cancelled); attempts count in the hour they were made. Rebuilt from the log.
ALTER TABLE "delivery_rollups_hourly" ADD COLUMN "latency_max_ms" INTEGER NOT NULL DEFAULT 0;
DELETE FROM "delivery_rollups_hourly";
INSERT INTO "delivery_rollups_hourly" ("app_id", "endpoint_id", "hour", "slot", "created", "succeeded", "failed")
SELECT "app_id", "endpoint_id", date_trunc('hour', "created_at", 'UTC'), 0, count(*)::int,
       (count(*) FILTER (WHERE "status" = 'success'))::int,
       (count(*) FILTER (WHERE "status" IN ('failed', 'cancelled')))::int
FROM "deliveries" GROUP BY 1, 2, 3;
INSERT INTO "delivery_rollups_hourly" ("app_id", "endpoint_id", "hour", "slot", "attempts", "attempts_failed", "latency_sum_ms", "latency_max_ms", "latency_histogram")
SELECT g."app_id", g."endpoint_id", g."hour", 0, g."n", g."n_failed", g."latency", g."latency_max",
       ARRAY(SELECT (SELECT count(*) FROM unnest(g."buckets") AS b WHERE b = k)::int FROM generate_series(0, 11) AS k ORDER BY k)
FROM (
  SELECT "app_id", "endpoint_id", date_trunc('hour', "created_at", 'UTC') AS "hour", count(*)::int AS "n",
         (count(*) FILTER (WHERE "error" IS NOT NULL))::int AS "n_failed", sum("duration_ms")::bigint AS "latency", max("duration_ms") AS "latency_max",
         array_agg(width_bucket("duration_ms", ARRAY[11,26,51,101,251,501,1001,2501,5001,10001,30001]::int[])) AS "buckets"
  FROM "attempts" GROUP BY 1, 2, 3
) AS g
ON CONFLICT ("app_id", "endpoint_id", "hour", "slot") DO UPDATE SET
  "attempts" = EXCLUDED."attempts", "attempts_failed" = EXCLUDED."attempts_failed",
  "latency_sum_ms" = EXCLUDED."latency_sum_ms", "latency_max_ms" = EXCLUDED."latency_max_ms", "latency_histogram" = EXCLUDED."latency_histogram";

-- "In a row" counts deliveries, not attempts: the streak restarts from the endpoint's own log.
UPDATE "endpoints" e SET "consecutive_failures" = s.n
FROM (
  SELECT d."endpoint_id", count(*)::int AS n FROM "deliveries" d JOIN "endpoints" ep ON ep."id" = d."endpoint_id"
  WHERE ep."failing_since" IS NOT NULL AND d."last_attempt_at" >= ep."failing_since" AND d."last_error" IS NOT NULL
  GROUP BY d."endpoint_id"
) AS s
WHERE e."id" = s."endpoint_id";
