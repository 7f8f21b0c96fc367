/**
 * Skipping a delivery by hand: the way past a failing head of a FIFO endpoint's line (or any
 * waiting delivery in it). The delivery becomes `cancelled` (counted as failed, as every cancel),
 * its queue row goes, and the next delivery of the line may be attempted. Audited.
 */
import { cancelWaitingDeliveryInTransaction } from "@/lib/delivery/cancel-deliveries";
import { findClaimableFifoHead } from "@/lib/delivery/fifo-order";
import { withTransaction } from "@/lib/delivery/sql";
import { isInFlight, type DeliveryStatus } from "@/lib/delivery/states";
import { announceWork } from "@/lib/jobs/job-driver";
import { recordAuditSql } from "@/lib/replays/audit-sql";

export type SkipRefusal = "not_found" | "final" | "not_fifo" | "in_flight";

export type SkipOutcome =
  | { skipped: true; nextInLine: string | null }
  | { skipped: false; reason: SkipRefusal; status?: DeliveryStatus };

export const SKIPPED_BY_HAND = "Skipped by hand";

/** Skips one open, not in-flight delivery of a FIFO endpoint of `appId`. */
export async function skipDelivery(
  appId: string,
  deliveryId: string,
  actor: string,
): Promise<SkipOutcome> {
  const outcome = await withTransaction(
    async (client): Promise<SkipOutcome & { endpointId?: string }> => {
      const { rows } = await client.query<{
        status: DeliveryStatus;
        endpoint_id: string;
        ordering: string;
        in_flight: boolean | null;
      }>(
        `SELECT d.status, d.endpoint_id, e.ordering, ${isInFlight("q")} AS in_flight
       FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id LEFT JOIN delivery_queue q ON q.delivery_id = d.id
       WHERE d.id = $1 AND d.app_id = $2 FOR UPDATE OF d`,
        [deliveryId, appId],
      );
      const found = rows[0];
      if (!found) return { skipped: false, reason: "not_found" };
      const open = found.status === "pending" || found.status === "retrying";
      const refusal: SkipRefusal | null = !open
        ? "final"
        : found.ordering !== "fifo"
          ? "not_fifo"
          : found.in_flight
            ? "in_flight"
            : null;
      if (
        refusal === null &&
        !(await cancelWaitingDeliveryInTransaction(client, deliveryId, SKIPPED_BY_HAND))
      ) {
        // Claimed between the read and the cancel.
        return { skipped: false, reason: "in_flight" };
      }
      await recordAuditSql(client, {
        appId,
        actor,
        action: "delivery.skipped",
        targetType: "delivery",
        targetId: deliveryId,
        details: {
          endpoint_id: found.endpoint_id,
          status_before: found.status,
          outcome: refusal ? `refused: ${refusal}` : "cancelled",
        },
      });
      if (refusal) return { skipped: false, reason: refusal, status: found.status };
      return { skipped: true, nextInLine: null, endpointId: found.endpoint_id };
    },
  );
  if (!outcome.skipped || !outcome.endpointId) return outcome;
  // The next in line has been due since fan-out: tell the driver (embedded workers wake; Inngest starts its run).
  const next = await findClaimableFifoHead(outcome.endpointId);
  if (next) await announceWork({ deliveries: [next] });
  return { skipped: true, nextInLine: next };
}
