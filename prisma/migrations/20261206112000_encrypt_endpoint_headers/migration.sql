-- Custom header values encrypted at rest. The key comes from HOOKLINE_SECRET, which SQL does not
-- have: existing rows keep their plaintext `headers` (and a NULL `headers_encrypted`) until the
-- server encrypts them at start-up (lib/endpoints/stored-headers.ts); until then deliveries read
-- them as before.
-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN "headers_encrypted" TEXT;
