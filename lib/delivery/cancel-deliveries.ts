/**
 * Ending deliveries without an attempt: a claimed one whose endpoint is gone or whose payload
 * expired, every waiting one of an endpoint that was disabled or deleted, and disabling an
 * endpoint on Hookline's own initiative. A cancelled delivery counts as failed in the rollups.
 */
import type { PoolClient } from "pg";
import { foldIntoRollupsSql, NO_ATTEMPT_COLUMNS } from "@/lib/analytics/rollups";
import type { ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import { leaseIsFree } from "@/lib/delivery/states";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { recordDeliveriesCancelled, recordEndpointDisabled } from "@/lib/metrics/delivery-metrics";
import { recordOperationalEvent } from "@/lib/operational-events/record";

/** Cancels the deliveries whose queue rows `queueRows` (SQL returning delivery_id) deletes; returns the count. */
function cancelSql(queueRows: string, reasonParam: string): string {
  return `WITH q AS (${queueRows}),
    d AS (
      UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, completed_at = now(), last_error = ${reasonParam}, updated_at = now()
      WHERE id IN (SELECT delivery_id FROM q)
      RETURNING app_id, endpoint_id, created_at),
    r AS (${foldIntoRollupsSql(`(SELECT app_id, endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, 0 AS created, 0 AS succeeded, 1 AS failed, ${NO_ATTEMPT_COLUMNS} FROM d)`)})
    SELECT count(*)::int AS n FROM d`;
}

/** Ends a leased delivery without an attempt (status `cancelled`, the reason as its last error). */
export async function cancelClaimedDelivery(
  claim: ClaimedDelivery,
  reason: string,
): Promise<boolean> {
  const { rows } = await getDb().pool.query<{ n: number }>(
    cancelSql(
      "DELETE FROM delivery_queue WHERE delivery_id = $1 AND leased_by = $2 RETURNING delivery_id",
      "$3",
    ),
    [claim.deliveryId, claim.leasedBy, reason],
  );
  const done = (rows[0]?.n ?? 0) > 0;
  if (done) recordDeliveriesCancelled(1);
  return done;
}

/** Cancels one waiting delivery that is not in flight (skip by hand); false if it was not waiting or is leased. */
export async function cancelWaitingDeliveryInTransaction(
  client: Pick<PoolClient, "query">,
  deliveryId: string,
  reason: string,
): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>(
    cancelSql(
      `DELETE FROM delivery_queue q WHERE q.delivery_id = $1 AND ${leaseIsFree("q")} RETURNING delivery_id`,
      "$2",
    ),
    [deliveryId, reason],
  );
  const done = (rows[0]?.n ?? 0) > 0;
  if (done) recordDeliveriesCancelled(1);
  return done;
}

async function cancelPendingInTransaction(
  client: Pick<PoolClient, "query">,
  endpointId: string,
  reason: string,
): Promise<number> {
  // In-flight deliveries (live lease) are left to their worker, which sees the endpoint is off
  // when it records the outcome; SKIP LOCKED avoids waiting on (and deadlocking with) them.
  const { rows } = await client.query<{ n: number }>(
    cancelSql(
      `DELETE FROM delivery_queue WHERE delivery_id IN (
         SELECT delivery_id FROM delivery_queue q WHERE q.endpoint_id = $1 AND ${leaseIsFree("q")} FOR UPDATE SKIP LOCKED)
       RETURNING delivery_id`,
      "$2",
    ),
    [endpointId, reason],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Cancels every waiting delivery of an endpoint (call after disabling or deleting it, in its
 * own transaction or the caller's). In-flight attempts finish and are recorded. Returns the count.
 */
export async function cancelPendingDeliveriesForEndpoint(
  endpointId: string,
  reason: string,
  client?: PoolClient,
): Promise<number> {
  const count = client
    ? await cancelPendingInTransaction(client, endpointId, reason)
    : await cancelPendingInTransaction(getDb().pool, endpointId, reason);
  recordDeliveriesCancelled(count);
  return count;
}

/**
 * Disables an endpoint on Hookline's own initiative (410 Gone, failing too long): sets the
 * reason, cancels its waiting deliveries, writes the audit row and `endpoint.disabled`.
 * A no-op (disabled: false) if it was already inactive.
 */
export async function disableEndpointInTransaction(
  client: PoolClient,
  input: { appId: string; endpointId: string; reason: string; kind: "gone" | "failing" },
): Promise<{ disabled: boolean; cancelledDeliveries: number }> {
  const updated = await client.query<{ url: string; consecutive_failures: number }>(
    `UPDATE endpoints SET is_active = false, disabled_reason = $2, disabled_at = now(), updated_at = now()
     WHERE id = $1 AND is_active RETURNING url, consecutive_failures`,
    [input.endpointId, input.reason],
  );
  const endpoint = updated.rows[0];
  if (!endpoint) return { disabled: false, cancelledDeliveries: 0 };
  const cancelledDeliveries = await cancelPendingInTransaction(
    client,
    input.endpointId,
    `Endpoint disabled: ${input.reason}`,
  );
  await client.query(
    `INSERT INTO audit_logs (id, app_id, actor, action, target_type, target_id, details)
     VALUES ($1, $2, 'system', 'endpoint.disabled', 'endpoint', $3, $4)`,
    [
      newId("aud"),
      input.appId,
      input.endpointId,
      JSON.stringify({
        reason: input.reason,
        kind: input.kind,
        cancelled_deliveries: cancelledDeliveries,
      }),
    ],
  );
  await recordOperationalEvent(client, {
    type: "endpoint.disabled",
    appId: input.appId,
    endpointId: input.endpointId,
    data: {
      reason: input.reason,
      kind: input.kind,
      url: endpoint.url,
      consecutive_failures: endpoint.consecutive_failures,
      cancelled_deliveries: cancelledDeliveries,
    },
  });
  recordEndpointDisabled(input.kind);
  return { disabled: true, cancelledDeliveries };
}
