-- App-scoped tokens of the Svix surface (appPortalAccess): stored as SHA-256 only; revoking moves
-- expires_at to the revocation time.
-- CreateTable
CREATE TABLE "app_tokens" (
    "id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "session_id" TEXT,
    "capabilities" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "feature_flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "app_tokens_token_hash_key" ON "app_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "app_tokens_app_id_expires_at_idx" ON "app_tokens"("app_id", "expires_at");

-- CreateIndex
CREATE INDEX "app_tokens_expires_at_idx" ON "app_tokens"("expires_at");

-- AddForeignKey
ALTER TABLE "app_tokens" ADD CONSTRAINT "app_tokens_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
