-- The delivery log's payload search (`payload @@ <jsonpath>`): a jsonb_path_ops GIN index finds
-- the events holding the searched `==` values. Retention's NULL payloads are not indexed.
-- CreateIndex
CREATE INDEX "events_payload_idx" ON "events" USING GIN ("payload" jsonb_path_ops);
