/**
 * Replays and "retry now": a delivery goes back to due-now with the same id (so the same
 * `webhook-id`); its next attempt is recorded with the given trigger. Final deliveries become
 * `pending` (and leave the succeeded/failed counts they were in); waiting ones are brought forward.
 * A final delivery of a FIFO endpoint goes to the back of its line (several in the order they were
 * created); a waiting one keeps its place.
 */
import type { PoolClient } from "pg";
import { foldIntoRollupsSql, NO_ATTEMPT_COLUMNS } from "@/lib/analytics/rollups";
import { nextFifoSeqSql } from "@/lib/delivery/fifo-order";
import { withTransaction } from "@/lib/delivery/sql";
import { isInFlight, leaseIsFree, OPEN_STATUSES_SQL } from "@/lib/delivery/states";
import { announceWork } from "@/lib/jobs/job-driver";

export type ManualAttemptSkip = "not_found" | "in_flight" | "endpoint_inactive";

export interface ScheduleManualResult {
  scheduled: string[];
  skipped: { id: string; reason: ManualAttemptSkip }[];
}

async function scheduleManualInTransaction(
  client: PoolClient,
  deliveryIds: readonly string[],
  trigger: "manual" | "replay",
): Promise<ScheduleManualResult> {
  const { rows } = await client.query<{ id: string }>(
    `WITH t AS (
       SELECT d.id, d.status, d.app_id, d.endpoint_id, d.created_at, e.ordering FROM deliveries d
       JOIN endpoints e ON e.id = d.endpoint_id AND e.is_active AND e.deleted_at IS NULL
       LEFT JOIN delivery_queue q ON q.delivery_id = d.id
       WHERE d.id = ANY($1::text[]) AND (q.delivery_id IS NULL OR ${leaseIsFree("q")})
       FOR UPDATE OF d),
     q AS (
       INSERT INTO delivery_queue (delivery_id, app_id, endpoint_id, run_at, fifo_seq)
       SELECT id, app_id, endpoint_id, now(), CASE WHEN ordering = 'fifo' THEN ${nextFifoSeqSql} END FROM t ORDER BY created_at, id
       ON CONFLICT (delivery_id) DO UPDATE SET run_at = now()),
     d AS (
       UPDATE deliveries SET
         status = CASE WHEN deliveries.status IN ${OPEN_STATUSES_SQL} THEN deliveries.status ELSE 'pending'::delivery_status END,
         next_attempt_at = now(), next_attempt_trigger = $2, completed_at = NULL, updated_at = now()
       FROM t WHERE deliveries.id = t.id
       RETURNING deliveries.id),
     r AS (${foldIntoRollupsSql(`(
       SELECT app_id, endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, 0 AS created,
              -(status = 'success')::int AS succeeded, -(status IN ('failed', 'cancelled'))::int AS failed, ${NO_ATTEMPT_COLUMNS}
       FROM t WHERE status NOT IN ${OPEN_STATUSES_SQL})`)})
     SELECT id FROM d`,
    [deliveryIds, trigger],
  );
  const scheduled = new Set(rows.map((r) => r.id));
  const skipped: ScheduleManualResult["skipped"] = [];
  const rest = deliveryIds.filter((id) => !scheduled.has(id));
  if (rest.length > 0) {
    const found = await client.query<{ id: string; in_flight: boolean }>(
      `SELECT d.id, COALESCE(${isInFlight("q")}, false) AS in_flight
       FROM deliveries d LEFT JOIN delivery_queue q ON q.delivery_id = d.id WHERE d.id = ANY($1::text[])`,
      [rest],
    );
    const byId = new Map(found.rows.map((r) => [r.id, r]));
    for (const id of rest) {
      const r = byId.get(id);
      skipped.push({
        id,
        reason: !r ? "not_found" : r.in_flight ? "in_flight" : "endpoint_inactive",
      });
    }
  }
  return { scheduled: [...scheduled], skipped };
}

/**
 * Skips deliveries in flight and those whose endpoint is disabled or deleted. A failed replay
 * retries only while the delivery's original retry budget lasts.
 * Pass `client` to join the caller's transaction; then call `announceWork({ deliveries })`
 * after commit so the job driver hears about them.
 */
export async function scheduleManualAttempts(
  deliveryIds: readonly string[],
  trigger: "manual" | "replay",
  client?: PoolClient,
): Promise<ScheduleManualResult> {
  if (deliveryIds.length === 0) return { scheduled: [], skipped: [] };
  if (client) return scheduleManualInTransaction(client, deliveryIds, trigger);
  const result = await withTransaction((c) => scheduleManualInTransaction(c, deliveryIds, trigger));
  await announceWork({ deliveries: result.scheduled });
  return result;
}

/** One delivery: `scheduleManualAttempts` for a single id. */
export async function scheduleManualAttempt(
  deliveryId: string,
  trigger: "manual" | "replay",
): Promise<{ scheduled: true } | { scheduled: false; reason: ManualAttemptSkip }> {
  const result = await scheduleManualAttempts([deliveryId], trigger);
  const skip = result.skipped[0];
  return skip ? { scheduled: false, reason: skip.reason } : { scheduled: true };
}
