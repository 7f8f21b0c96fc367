import type { App } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { retryWriteConflicts } from "@/lib/db/retry-conflicts";
import {
  DEFAULT_ROTATION_GRACE_SECONDS,
  rotateSigningSecrets,
} from "@/lib/endpoints/signing-secrets";
import { apiErrors } from "@/lib/http/errors";

/**
 * Rotates the signing secret of every endpoint of the app, all or none, in a fixed number of
 * statements. Each previous secret keeps signing for the grace period (default 24 h; 0
 * invalidates them at once). One rotation of an app runs at a time: another one asked for
 * meanwhile is answered 409 at once rather than holding a connection while it waits.
 */
export async function rotateAppSecrets(
  app: App,
  options: { graceSeconds?: number },
  actor: string,
): Promise<{ rotated: number }> {
  const graceSeconds = options.graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
  return retryWriteConflicts(
    () =>
      getDb().prisma.$transaction(
        async (tx) => {
          const [lock] = await tx.$queryRaw<Array<{ acquired: boolean }>>`
            SELECT pg_try_advisory_xact_lock(hashtext('hookline:rotate-app-secrets:' || ${app.id})) AS acquired`;
          if (!lock?.acquired)
            throw apiErrors.conflict(
              "The app's secrets are being rotated by another request; nothing was changed, retry",
              { reason: "rotation_in_progress" },
            );
          const endpoints = await tx.endpoint.findMany({
            where: { appId: app.id, deletedAt: null },
            select: { id: true },
            orderBy: { id: "asc" },
          });
          const ids = endpoints.map((e) => e.id);
          await rotateSigningSecrets(tx, ids, graceSeconds);
          await recordAudit(tx, {
            appId: app.id,
            actor,
            action: "app.secrets_rotated",
            targetType: "app",
            targetId: app.id,
            details: { rotated: ids.length, grace_period_seconds: graceSeconds, endpoint_ids: ids },
          });
          return { rotated: ids.length };
        },
        { timeout: 60_000 },
      ),
    "Rotating the app's secrets",
  );
}
