-- The delivery log partitioned by time (lib/delivery-log/partitions.ts): retention drops whole
-- weeks instead of deleting rows. Deliveries are partitioned by their id, which starts with the
-- creation time (lib/ids.ts), so the primary key stays the id and a lookup by id reads one
-- partition; attempts by their delivery's id, so a delivery and all its attempts (retries that
-- come days later too) live and leave together. The id columns sort bytewise (COLLATE "C"), the
-- order the bounds are computed in, whatever the database's default collation.
--
-- No foreign key points into a partitioned table: dropping a partition would first check every
-- referencing row. Attempts still follow their app (ON DELETE CASCADE); a delivery's event and
-- a delivery's attempts are held together by the code that writes them.
--
-- The rows already stored move into one partition, `*_p_before`, bounded by the next UTC
-- midnight after the newest of them, so that the server's partitions can follow it; a DEFAULT
-- partition catches any row no partition covers yet (the server creates them days ahead).
--
-- `INSERT INTO "x_p_default" SELECT * FROM "x_p_before"` relies on both having the parent's
-- column order: the old table's columns are listed in the same order in CREATE TABLE below.

ALTER TABLE "attempts" DROP CONSTRAINT "attempts_delivery_id_fkey";
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_event_id_fkey";

-- `dlv_` + the 10 Crockford base32 characters of a millisecond instant (lib/ids.ts).
CREATE FUNCTION "hookline_delivery_id_bound"(at timestamptz) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  ms bigint := floor(extract(epoch FROM at) * 1000);
  out text := '';
BEGIN
  FOR i IN 1..10 LOOP
    out := substr('0123456789abcdefghjkmnpqrstvwxyz', (ms % 32)::int + 1, 1) || out;
    ms := ms / 32;
  END LOOP;
  RETURN 'dlv_' || out;
END $$;

DO $$
DECLARE
  newest timestamptz := (SELECT max(created_at) FROM "deliveries");
  cut text := "hookline_delivery_id_bound"(date_trunc('day', greatest(coalesce(newest, now()), now()) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 day');
BEGIN

  ALTER TABLE "deliveries" RENAME TO "deliveries_p_before";
  ALTER TABLE "deliveries_p_before" RENAME CONSTRAINT "deliveries_pkey" TO "deliveries_p_before_pkey";
  ALTER TABLE "deliveries_p_before" ALTER COLUMN "id" TYPE text COLLATE "C";
  ALTER INDEX "deliveries_app_id_created_at_id_idx" RENAME TO "deliveries_p_before_app_id_created_at_id_idx";
  ALTER INDEX "deliveries_endpoint_id_created_at_id_idx" RENAME TO "deliveries_p_before_endpoint_id_created_at_id_idx";
  ALTER INDEX "deliveries_event_id_idx" RENAME TO "deliveries_p_before_event_id_idx";
  ALTER TABLE "deliveries_p_before" DROP CONSTRAINT "deliveries_app_id_fkey";
  ALTER TABLE "deliveries_p_before" DROP CONSTRAINT "deliveries_endpoint_id_fkey";

  CREATE TABLE "deliveries" (
    "id" TEXT COLLATE "C" NOT NULL,
    "app_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "status" "delivery_status" NOT NULL DEFAULT 'pending',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "last_attempt_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "next_attempt_trigger" "attempt_trigger" NOT NULL DEFAULT 'auto',
    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
  ) PARTITION BY RANGE ("id");
  CREATE INDEX "deliveries_app_id_created_at_id_idx" ON "deliveries"("app_id", "created_at", "id");
  CREATE INDEX "deliveries_endpoint_id_created_at_id_idx" ON "deliveries"("endpoint_id", "created_at", "id");
  CREATE INDEX "deliveries_event_id_idx" ON "deliveries"("event_id");
  ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  CREATE TABLE "deliveries_p_default" PARTITION OF "deliveries" DEFAULT;
  -- An id that sorts after the cut (a clock that ran ahead) waits in the DEFAULT partition for
  -- its day; the server moves it there when it creates that day.
  INSERT INTO "deliveries_p_default" SELECT * FROM "deliveries_p_before" WHERE "id" >= cut;
  DELETE FROM "deliveries_p_before" WHERE "id" >= cut;
  EXECUTE format('ALTER TABLE "deliveries" ATTACH PARTITION "deliveries_p_before" FOR VALUES FROM (MINVALUE) TO (%L)', cut);

  ALTER TABLE "attempts" RENAME TO "attempts_p_before";
  ALTER TABLE "attempts_p_before" DROP CONSTRAINT "attempts_pkey";
  ALTER TABLE "attempts_p_before" ALTER COLUMN "delivery_id" TYPE text COLLATE "C";
  ALTER TABLE "attempts_p_before" ADD CONSTRAINT "attempts_p_before_pkey" PRIMARY KEY ("delivery_id", "id");
  ALTER INDEX "attempts_delivery_id_created_at_idx" RENAME TO "attempts_p_before_delivery_id_created_at_idx";
  ALTER INDEX "attempts_app_id_created_at_idx" RENAME TO "attempts_p_before_app_id_created_at_idx";
  ALTER TABLE "attempts_p_before" DROP CONSTRAINT "attempts_app_id_fkey";

  CREATE TABLE "attempts" (
    "id" TEXT NOT NULL,
    "delivery_id" TEXT COLLATE "C" NOT NULL,
    "app_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "attempt_number" INTEGER NOT NULL,
    "trigger" "attempt_trigger" NOT NULL DEFAULT 'auto',
    "request_url" TEXT NOT NULL,
    "request_headers" JSONB NOT NULL DEFAULT '{}',
    "response_status" INTEGER,
    "response_headers" JSONB,
    "response_body" TEXT,
    "response_body_truncated" BOOLEAN NOT NULL DEFAULT false,
    "duration_ms" INTEGER NOT NULL,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "attempts_pkey" PRIMARY KEY ("delivery_id", "id")
  ) PARTITION BY RANGE ("delivery_id");
  CREATE INDEX "attempts_delivery_id_created_at_idx" ON "attempts"("delivery_id", "created_at");
  CREATE INDEX "attempts_app_id_created_at_idx" ON "attempts"("app_id", "created_at");
  ALTER TABLE "attempts" ADD CONSTRAINT "attempts_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  CREATE TABLE "attempts_p_default" PARTITION OF "attempts" DEFAULT;
  INSERT INTO "attempts_p_default" SELECT * FROM "attempts_p_before" WHERE "delivery_id" >= cut;
  DELETE FROM "attempts_p_before" WHERE "delivery_id" >= cut;
  EXECUTE format('ALTER TABLE "attempts" ATTACH PARTITION "attempts_p_before" FOR VALUES FROM (MINVALUE) TO (%L)', cut);
END $$;

-- Storage parameters belong to each partition (a partitioned table has none of its own).
ALTER TABLE "deliveries_p_default" SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02);
