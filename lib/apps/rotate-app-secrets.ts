import type { App } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import {
  DEFAULT_ROTATION_GRACE_SECONDS,
  rotateSigningSecret,
} from "@/lib/endpoints/signing-secrets";

/**
 * Rotates the signing secret of every endpoint of the app, all or none. Each previous secret
 * keeps signing for the grace period (default 24 h; 0 invalidates them at once).
 */
export async function rotateAppSecrets(
  app: App,
  options: { graceSeconds?: number },
  actor: string,
): Promise<{ rotated: number }> {
  const graceSeconds = options.graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
  return getDb().prisma.$transaction(
    async (tx) => {
      const endpoints = await tx.endpoint.findMany({
        where: { appId: app.id, deletedAt: null },
        select: { id: true },
        orderBy: { id: "asc" },
      });
      for (const endpoint of endpoints) await rotateSigningSecret(tx, endpoint.id, graceSeconds);
      await recordAudit(tx, {
        appId: app.id,
        actor,
        action: "app.secrets_rotated",
        targetType: "app",
        targetId: app.id,
        details: {
          rotated: endpoints.length,
          grace_period_seconds: graceSeconds,
          endpoint_ids: endpoints.map((e) => e.id),
        },
      });
      return { rotated: endpoints.length };
    },
    // An app with many endpoints takes a few statements each.
    { timeout: 60_000 },
  );
}
