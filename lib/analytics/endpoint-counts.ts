import { getDb } from "@/lib/db/client";

export interface EndpointDeliveryCounts {
  /** Delivered. */
  success: number;
  /** Waiting for an attempt (first or retry). */
  pending: number;
  /** An attempt in flight now (a worker holds the delivery's lease). */
  sending: number;
  /** Retries exhausted or given up. */
  failed: number;
  cancelled: number;
}

/** One endpoint's deliveries by state, created within `[since, until)` when given. */
export async function countEndpointDeliveries(
  endpointId: string,
  range: { since?: Date; until?: Date } = {},
): Promise<EndpointDeliveryCounts> {
  const { rows } = await getDb().pool.query<{
    success: string;
    waiting: string;
    sending: string;
    failed: string;
    cancelled: string;
  }>(
    `SELECT count(*) FILTER (WHERE d.status = 'success') AS success,
            count(*) FILTER (WHERE d.status IN ('pending', 'retrying')) AS waiting,
            count(*) FILTER (WHERE d.status IN ('pending', 'retrying') AND q.lease_expires_at > now()) AS sending,
            count(*) FILTER (WHERE d.status = 'failed') AS failed,
            count(*) FILTER (WHERE d.status = 'cancelled') AS cancelled
     FROM deliveries d LEFT JOIN delivery_queue q ON q.delivery_id = d.id
     WHERE d.endpoint_id = $1
       AND ($2::timestamptz IS NULL OR d.created_at >= $2)
       AND ($3::timestamptz IS NULL OR d.created_at < $3)`,
    [endpointId, range.since ?? null, range.until ?? null],
  );
  const r = rows[0]!;
  const sending = Number(r.sending);
  return {
    success: Number(r.success),
    pending: Number(r.waiting) - sending,
    sending,
    failed: Number(r.failed),
    cancelled: Number(r.cancelled),
  };
}
