-- AlterTable
ALTER TABLE "delivery_rollups_hourly" DROP CONSTRAINT "delivery_rollups_hourly_pkey",
ADD COLUMN     "slot" SMALLINT NOT NULL DEFAULT 0,
ADD CONSTRAINT "delivery_rollups_hourly_pkey" PRIMARY KEY ("app_id", "endpoint_id", "hour", "slot");
