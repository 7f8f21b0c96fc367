-- AlterTable
ALTER TABLE "apps" ADD COLUMN     "metadata" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "svix_uid" TEXT,
ADD COLUMN     "throttle_rate" INTEGER;

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "metadata" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "svix_uid" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "svix_idempotency_keys" (
    "principal" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" INTEGER,
    "body" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "svix_idempotency_keys_pkey" PRIMARY KEY ("principal","key")
);

-- CreateIndex
CREATE INDEX "svix_idempotency_keys_created_at_idx" ON "svix_idempotency_keys"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "apps_svix_uid_key" ON "apps"("svix_uid");

-- CreateIndex
CREATE UNIQUE INDEX "endpoints_app_id_svix_uid_key" ON "endpoints"("app_id", "svix_uid") WHERE (deleted_at IS NULL);
