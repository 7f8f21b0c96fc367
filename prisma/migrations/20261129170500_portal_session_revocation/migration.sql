-- Portal sessions live in sealed cookies; these make them revocable (issue 13). Sign-out records
-- the session's id until it would have expired anyway; the backend's "revoke all" moves an
-- app's cut-off, ending every session exchanged before it.
ALTER TABLE "apps" ADD COLUMN "portal_sessions_revoked_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "revoked_portal_sessions" (
    "sid" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "revoked_portal_sessions_pkey" PRIMARY KEY ("sid")
);

-- CreateIndex
CREATE INDEX "revoked_portal_sessions_expires_at_idx" ON "revoked_portal_sessions"("expires_at");

-- AddForeignKey
ALTER TABLE "revoked_portal_sessions" ADD CONSTRAINT "revoked_portal_sessions_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
