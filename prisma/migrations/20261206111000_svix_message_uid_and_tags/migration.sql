-- Svix messages: `uid` is the caller's `eventId` (unique per app for good, a lookup key), `tags`
-- label messages for the Svix message list. Both empty for natively triggered events.
-- AlterTable
ALTER TABLE "events" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "uid" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "events_app_id_uid_key" ON "events"("app_id", "uid");
