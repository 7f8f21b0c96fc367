import type { Endpoint } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { kickOperationalEventDispatch } from "@/lib/operational-events/dispatch";
import { recordOperationalEventTx } from "@/lib/operational-events/record";

/** What turning an endpoint back on means: active, and no memory of the failures that stopped it. */
export const clearFailureState = {
  isActive: true,
  disabledReason: null,
  disabledAt: null,
  failingSince: null,
  consecutiveFailures: 0,
} as const;

/**
 * Turns a disabled (or paused) endpoint back on. `appId` comes from the route's app, or from the
 * endpoint itself on the unscoped seed-002 route.
 */
export async function reactivateEndpoint(
  appId: string,
  id: string,
  actor: string,
): Promise<Endpoint> {
  const result = await getDb().prisma.$transaction(async (tx) => {
    const current = await getEndpoint({ id: appId }, id, tx);
    const updated = await tx.endpoint.update({
      where: { id: current.id },
      data: clearFailureState,
    });
    await recordAudit(tx, {
      appId,
      actor,
      action: "endpoint.reactivated",
      targetType: "endpoint",
      targetId: current.id,
      details: { was_active: current.isActive, disabled_reason: current.disabledReason },
    });
    // Only a change is an event: reactivating an active endpoint just clears its failure streak.
    const due =
      !current.isActive &&
      (await recordOperationalEventTx(tx, {
        type: "endpoint.enabled",
        appId,
        endpointId: current.id,
        data: { disabled_reason: current.disabledReason, actor },
      }));
    return { updated, due };
  });
  if (result.due) kickOperationalEventDispatch();
  return result.updated;
}
