import type { App } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { kickOperationalEventDispatch } from "@/lib/operational-events/dispatch";
import { recordOperationalEventTx } from "@/lib/operational-events/record";

/**
 * Soft delete: the delivery log keeps pointing at the endpoint, but it is gone from every API
 * (404) and list. Its deliveries still waiting to go out are cancelled so none is sent.
 */
export async function deleteEndpoint(
  app: Pick<App, "id">,
  id: string,
  actor: string,
): Promise<void> {
  const due = await getDb().prisma.$transaction(async (tx) => {
    const current = await getEndpoint(app, id, tx);
    const now = new Date();
    await tx.endpoint.update({
      where: { id: current.id },
      data: { deletedAt: now, isActive: false },
    });
    const cancelled = await tx.delivery.updateMany({
      where: { endpointId: current.id, status: { in: ["pending", "retrying"] } },
      data: { status: "cancelled", nextAttemptAt: null, completedAt: now },
    });
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action: "endpoint.deleted",
      targetType: "endpoint",
      targetId: current.id,
      details: { url: current.url, cancelled_deliveries: cancelled.count },
    });
    return recordOperationalEventTx(tx, {
      type: "endpoint.deleted",
      appId: app.id,
      endpointId: current.id,
      data: { url: current.url, cancelled_deliveries: cancelled.count, actor },
    });
  });
  if (due) kickOperationalEventDispatch();
}
