import type { App } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { invalidateCaches } from "@/lib/cache/lookup-cache";

/**
 * Deletes the app and, by cascade, everything under it (endpoints, secrets, events, deliveries,
 * tickets), so nothing of it delivers again. The audit row outlives it: it is written without
 * an app id, which the cascade would remove.
 */
export async function deleteApp(app: App, actor: string): Promise<void> {
  await getDb().prisma.$transaction(async (tx) => {
    await tx.app.delete({ where: { id: app.id } });
    await recordAudit(tx, {
      appId: null,
      actor,
      action: "app.deleted",
      targetType: "app",
      targetId: app.id,
      details: { slug: app.slug, name: app.name },
    });
  });
  invalidateCaches(); // the app and, by cascade, its event types
}
