-- Payloads keep the producer's key order (issue 20). `events.payload` stays jsonb for the payload
-- search (its GIN index) and endpoint filters; the text as accepted goes beside it and is what is
-- delivered and shown. Existing events get no text: their key order was lost when they were
-- stored, and readers fall back to the jsonb (lib/events/payload-text.ts), sending the same bytes
-- as before. Adding a nullable column rewrites nothing.
ALTER TABLE "events" ADD COLUMN "payload_text" TEXT;

-- The catalog's schemas and examples are only stored and shown: `json` keeps their text as
-- written. Existing rows convert in the jsonb's order.
ALTER TABLE "event_types"
  ALTER COLUMN "schema" SET DATA TYPE JSON USING "schema"::json,
  ALTER COLUMN "example" SET DATA TYPE JSON USING "example"::json,
  ALTER COLUMN "schemas" SET DATA TYPE JSON USING "schemas"::json;
