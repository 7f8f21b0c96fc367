-- AlterTable
ALTER TABLE "event_types" ADD COLUMN     "deprecated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "feature_flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "group_name" TEXT,
ADD COLUMN     "schemas" JSONB,
ALTER COLUMN "app_id" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "event_types_environment_name_key" ON "event_types"("name") WHERE (app_id IS NULL);
