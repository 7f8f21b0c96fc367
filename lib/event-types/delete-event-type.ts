import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { getEventType, type CatalogOwner } from "@/lib/event-types/get-event-type";
import { invalidateCaches } from "@/lib/cache/lookup-cache";

/**
 * Removes a type from the catalog. Endpoints keep their subscriptions (and events of that name
 * still deliver); archive instead to keep it listed as deprecated.
 */
export async function deleteEventType(
  app: CatalogOwner,
  name: string,
  actor: string,
): Promise<void> {
  await getDb().prisma.$transaction(async (tx) => {
    const current = await getEventType(app, name, tx);
    await tx.eventType.delete({ where: { id: current.id } });
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action: "event_type.deleted",
      targetType: "event_type",
      targetId: current.id,
      details: { name },
    });
  });
  invalidateCaches("event_types");
}
