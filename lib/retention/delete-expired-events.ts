/**
 * Events leave with the log: an event created before HOOKLINE_LOG_RETENTION_DAYS is deleted once
 * none of its deliveries is left (their week retired, lib/delivery-log/partitions.ts) and it is
 * not still fanning out. Its payload went long before (the log's retention is at least the
 * payload's), so nothing could deliver or replay it any more; its idempotency key and `uid` are
 * free again from then on.
 *
 * Why batches of deletes rather than partitions like the log: an app's idempotency keys and uids
 * are unique across all its events, and PostgreSQL keeps a partitioned table's unique indexes
 * only per partition unless they hold the partition key. Events are one row per trigger, against
 * one log row per endpoint, so their delete costs a fraction of what the log's would.
 *
 * Batches walk each app's events by the (app_id, created_at, id) index, oldest first. Deleted
 * rows are gone, so the next run starts at the few kept ones rather than walking back over the
 * past.
 */
import { getDb } from "@/lib/db/client";
import { DAY_MS } from "@/lib/delivery-log/date-range";

export interface DeleteExpiredEventsInput {
  now?: Date;
  /** HOOKLINE_LOG_RETENTION_DAYS; 0 keeps everything. */
  retentionDays: number;
  /** Events per statement (default 1000). */
  batchSize?: number;
  /** Stop between batches when aborted (shutdown). */
  signal?: AbortSignal;
}

export interface DeleteExpiredEventsResult {
  deleted: number;
  /** Past retention but kept: a delivery of theirs is still in the log, or fan-out is not done. */
  kept: number;
}

interface BatchRow {
  walked: number;
  deleted: number;
  last_at: Date;
  last_id: string;
}

/** $1 app, $2 cutoff, $3 batch size, $4/$5 the keyset after which to go on. */
const DELETE_BATCH = `
  WITH batch AS (
    SELECT id, created_at FROM events
    WHERE app_id = $1 AND created_at < $2
      AND ($4::timestamptz IS NULL OR (created_at, id) > ($4::timestamptz, $5::text))
    ORDER BY created_at, id
    LIMIT $3),
  gone AS (
    DELETE FROM events e USING batch b
    WHERE e.id = b.id
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = b.id)
      AND NOT EXISTS (SELECT 1 FROM event_fanout_queue q WHERE q.event_id = b.id)
    RETURNING e.id)
  SELECT (SELECT count(*) FROM batch)::int AS walked, (SELECT count(*) FROM gone)::int AS deleted,
         last.created_at AS last_at, last.id AS last_id
  FROM (SELECT created_at, id FROM batch ORDER BY created_at DESC, id DESC LIMIT 1) AS last`;

export async function deleteExpiredEvents(
  input: DeleteExpiredEventsInput,
): Promise<DeleteExpiredEventsResult> {
  const result: DeleteExpiredEventsResult = { deleted: 0, kept: 0 };
  if (input.retentionDays <= 0) return result;
  const batchSize = input.batchSize ?? 1_000;
  const cutoff = new Date((input.now ?? new Date()).getTime() - input.retentionDays * DAY_MS);
  const { pool } = getDb();
  const apps = await pool.query<{ id: string }>("SELECT id FROM apps ORDER BY id");
  for (const { id: appId } of apps.rows) {
    let after = null as { at: Date; id: string } | null;
    for (;;) {
      if (input.signal?.aborted) return result;
      const { rows }: { rows: BatchRow[] } = await pool.query<BatchRow>(DELETE_BATCH, [
        appId,
        cutoff,
        batchSize,
        after?.at ?? null,
        after?.id ?? null,
      ]);
      const batch: BatchRow | undefined = rows[0];
      if (!batch) break;
      result.deleted += batch.deleted;
      result.kept += batch.walked - batch.deleted;
      if (batch.walked < batchSize) break;
      after = { at: batch.last_at, id: batch.last_id };
    }
  }
  return result;
}
