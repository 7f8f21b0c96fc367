import type { App } from "@/generated/prisma/client";
import { withTransaction } from "@/lib/delivery/sql";
import {
  scheduleManualAttempts,
  type ManualAttemptSkip,
} from "@/lib/delivery/schedule-manual-attempts";
import { deliveryNotFound } from "@/lib/delivery-log/get-delivery";
import { ApiError } from "@/lib/http/errors";
import { announceWork } from "@/lib/jobs/job-driver";
import { recordAuditSql } from "@/lib/replays/audit-sql";
import type { ReplayDeliveryResponse } from "@/lib/replays/schemas";

type Refusal = ManualAttemptSkip | "payload_expired";

const REFUSALS: Record<Refusal, string> = {
  not_found: "The delivery no longer exists",
  in_flight: "An attempt for this delivery is in flight; replay it once that attempt is recorded",
  endpoint_inactive: "The delivery's endpoint is disabled or deleted; reactivate it first",
  payload_expired: "The event payload expired (retention period); there is nothing to send",
};

/**
 * `POST /deliveries/{id}/replay`: resends one delivery now, in any status, as a new attempt with
 * the same id (so the same `webhook-id`), recorded with trigger `manual`. The state machine
 * makes it due; the job driver sends it. Refused with 409 while an attempt is in flight, when
 * the endpoint is disabled or deleted, or when the payload expired. Audited either way.
 */
export async function replayDelivery(
  app: Pick<App, "id">,
  deliveryId: string,
  actor: string,
): Promise<ReplayDeliveryResponse> {
  const outcome = await withTransaction(async (client) => {
    const { rows } = await client.query<{
      id: string;
      status: string;
      payload_expired: boolean;
      endpoint_id: string;
    }>(
      `SELECT d.id, d.status, d.endpoint_id, (ev.payload_expired_at IS NOT NULL) AS payload_expired
       FROM deliveries d JOIN events ev ON ev.id = d.event_id
       WHERE d.id = $1 AND d.app_id = $2 FOR UPDATE OF d`,
      [deliveryId, app.id],
    );
    const found = rows[0];
    if (!found) throw deliveryNotFound(deliveryId);
    let refusal: Refusal | null = null;
    if (found.payload_expired) refusal = "payload_expired";
    else {
      const result = await scheduleManualAttempts([deliveryId], "manual", client);
      refusal = result.skipped[0]?.reason ?? null;
    }
    await recordAuditSql(client, {
      appId: app.id,
      actor,
      action: "delivery.replayed",
      targetType: "delivery",
      targetId: deliveryId,
      details: {
        filter: { delivery_ids: [deliveryId] },
        endpoint_id: found.endpoint_id,
        status_before: found.status,
        outcome: refusal ? `refused: ${refusal}` : "scheduled",
      },
    });
    if (refusal) return { refusal } as const;
    const after = await client.query<{
      status: ReplayDeliveryResponse["status"];
      next_attempt_at: Date | null;
      attempt_count: number;
    }>("SELECT status, next_attempt_at, attempt_count FROM deliveries WHERE id = $1", [deliveryId]);
    return { refusal: null, row: after.rows[0]! } as const;
  });
  if (outcome.refusal) {
    if (outcome.refusal === "not_found") throw deliveryNotFound(deliveryId);
    throw new ApiError(409, "conflict", REFUSALS[outcome.refusal], { reason: outcome.refusal });
  }
  await announceWork({ deliveries: [deliveryId] });
  return {
    delivery_id: deliveryId,
    webhook_id: deliveryId,
    status: outcome.row.status,
    trigger: "manual",
    next_attempt_at: outcome.row.next_attempt_at?.toISOString() ?? null,
    attempt_count: outcome.row.attempt_count,
  };
}
