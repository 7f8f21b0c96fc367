-- Payload filters per endpoint (issue 15): the JSON form the API returns, and its compiled
-- jsonpath predicate, which fan-out evaluates (`payload @@ filter_path`). Written together.
ALTER TABLE "endpoints" ADD COLUMN "filter" JSONB,
ADD COLUMN "filter_path" jsonpath,
ADD CONSTRAINT "endpoints_filter_path_with_filter" CHECK (("filter" IS NULL) = ("filter_path" IS NULL));

-- Events the filter kept from an endpoint, per hour: analytics report them as `filtered`.
ALTER TABLE "delivery_rollups_hourly" ADD COLUMN "filtered" INTEGER NOT NULL DEFAULT 0;
