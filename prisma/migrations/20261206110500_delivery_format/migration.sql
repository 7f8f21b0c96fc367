-- Delivery as Svix delivers (issue 19, item 4). An app chooses what its endpoints receive
-- (hookline: the {type,timestamp,data} envelope with webhook-* headers, id = the delivery's;
-- svix: the raw payload with svix-* and webhook-* headers, id = the event's); an endpoint may
-- override it (null: inherit).
ALTER TABLE "apps" ADD COLUMN "delivery_format" TEXT NOT NULL DEFAULT 'hookline';

ALTER TABLE "endpoints" ADD COLUMN "delivery_format" TEXT;
