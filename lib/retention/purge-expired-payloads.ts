/**
 * Payload retention: event payloads and attempt response bodies older than
 * HOOKLINE_PAYLOAD_RETENTION_DAYS are removed, in batches (one short transaction each), leaving
 * the deliveries' and attempts' metadata. An event's `payload_expired_at` records when; the
 * log then shows `payload_expired: true`, and the delivery engine cancels (never sends) a
 * delivery whose payload is gone.
 *
 * Batches walk each app's rows by the (app_id, created_at) indexes, oldest first, with a
 * keyset, so a run touches every expired row once. A run starts where the last finished run's
 * cutoff was, less `REWALK_MARGIN` (table `retention_progress`): purged rows stay (events for
 * good, the log's until its partition is retired), and walking them again every run would make
 * each run cost what was ever purged. Rows are created at the time they are stored, so none
 * appears behind that point later; the margin covers a row a batch skipped while another
 * transaction held it, and a first attempt kept in its log row, made up to an hour after its
 * delivery's creation.
 */
import { getDb } from "@/lib/db/client";
import { DAY_MS } from "@/lib/delivery-log/date-range";
import { getRetentionConfig } from "@/lib/retention/retention-config";

export interface PurgeInput {
  now?: Date;
  /** Rows per statement (default 1000). */
  batchSize?: number;
  /** Override HOOKLINE_PAYLOAD_RETENTION_DAYS. */
  retentionDays?: number;
  /** Stop between batches when aborted (shutdown). */
  signal?: AbortSignal;
}

export interface PurgeResult {
  cutoff: Date;
  eventsExpired: number;
  attemptBodiesRemoved: number;
  batches: number;
}

/** How far before the last run's cutoff the next run starts again. */
const REWALK_MARGIN_MS = DAY_MS;
/** This job's row in `retention_progress`. */
const JOB = "payloads";

interface KeyRow {
  id: string;
  created_at: Date;
}

/** The greatest (created_at, id) of a batch (RETURNING has no order). */
function lastKey(rows: KeyRow[]): { at: Date; id: string } {
  let last = rows[0]!;
  for (const r of rows) {
    const t = r.created_at.getTime() - last.created_at.getTime();
    if (t > 0 || (t === 0 && r.id > last.id)) last = r;
  }
  return { at: last.created_at, id: last.id };
}

/** $1 app, $2 cutoff, $3 batch size, $4/$5 the keyset after which to go on. */
const ATTEMPT_BODY_PURGES = [
  `WITH batch AS (
     SELECT id, delivery_id, created_at FROM attempts
     WHERE app_id = $1 AND created_at < $2 AND response_body IS NOT NULL
       AND ($4::timestamptz IS NULL OR (created_at, id) > ($4::timestamptz, $5::text))
     ORDER BY created_at, id
     LIMIT $3
     FOR UPDATE SKIP LOCKED)
   UPDATE attempts a SET response_body = NULL, response_body_truncated = false
   FROM batch WHERE a.delivery_id = batch.delivery_id AND a.id = batch.id
   RETURNING a.id, a.created_at`,
  // A first attempt kept in the log row was made after its delivery's creation: the walk is on
  // the deliveries' time index; one made after the cutoff waits for a later run.
  `WITH batch AS (
     SELECT id, created_at FROM deliveries
     WHERE app_id = $1 AND created_at < $2 AND first_response_body IS NOT NULL AND first_attempted_at < $2
       AND ($4::timestamptz IS NULL OR (created_at, id) > ($4::timestamptz, $5::text))
     ORDER BY created_at, id
     LIMIT $3
     FOR UPDATE SKIP LOCKED)
   UPDATE deliveries d SET first_response_body = NULL, first_response_body_truncated = false
   FROM batch WHERE d.id = batch.id
   RETURNING d.id, d.created_at`,
];

export async function purgeExpiredPayloads(input: PurgeInput = {}): Promise<PurgeResult> {
  const now = input.now ?? new Date();
  const batchSize = input.batchSize ?? 1_000;
  const days = input.retentionDays ?? getRetentionConfig().payloadRetentionDays;
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const { pool } = getDb();
  const result: PurgeResult = { cutoff, eventsExpired: 0, attemptBodiesRemoved: 0, batches: 0 };
  const apps = await pool.query<{ id: string }>("SELECT id FROM apps ORDER BY id");
  const progress = await pool.query<{ done_before: Date }>(
    "SELECT done_before FROM retention_progress WHERE job = $1",
    [JOB],
  );
  const doneBefore = progress.rows[0]?.done_before;
  // Where every walk starts: (created_at, id) after this key.
  const start = doneBefore
    ? { at: new Date(doneBefore.getTime() - REWALK_MARGIN_MS), id: "" }
    : null;

  for (const { id: appId } of apps.rows) {
    // Events: payload -> NULL, payload_expired_at set.
    let after: { at: Date; id: string } | null = start;
    for (;;) {
      if (input.signal?.aborted) return result;
      const { rows }: { rows: KeyRow[] } = await pool.query<KeyRow>(
        `WITH batch AS (
           SELECT id, created_at FROM events
           WHERE app_id = $1 AND created_at < $2 AND payload_expired_at IS NULL
             AND ($4::timestamptz IS NULL OR (created_at, id) > ($4::timestamptz, $5::text))
           ORDER BY created_at, id
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
         UPDATE events e SET payload = NULL, payload_text = NULL, payload_expired_at = $6
         FROM batch WHERE e.id = batch.id
         RETURNING e.id, e.created_at`,
        [appId, cutoff, batchSize, after?.at ?? null, after?.id ?? null, now],
      );
      result.batches++;
      result.eventsExpired += rows.length;
      if (rows.length < batchSize) break;
      after = lastKey(rows);
    }
    // Attempt response bodies -> NULL: the attempt rows', then the first attempts kept in
    // their delivery's row (lib/delivery/attempt-outcome.ts).
    for (const statement of ATTEMPT_BODY_PURGES) {
      let afterAttempt: { at: Date; id: string } | null = start;
      for (;;) {
        if (input.signal?.aborted) return result;
        const { rows }: { rows: KeyRow[] } = await pool.query<KeyRow>(statement, [
          appId,
          cutoff,
          batchSize,
          afterAttempt?.at ?? null,
          afterAttempt?.id ?? null,
        ]);
        result.batches++;
        result.attemptBodiesRemoved += rows.length;
        if (rows.length < batchSize) break;
        afterAttempt = lastKey(rows);
      }
    }
  }
  // Reached only by a whole run. A longer retention than before moves no mark back.
  await pool.query(
    `INSERT INTO retention_progress (job, done_before) VALUES ($1, $2)
     ON CONFLICT (job) DO UPDATE SET done_before = GREATEST(retention_progress.done_before, EXCLUDED.done_before)`,
    [JOB, cutoff],
  );
  return result;
}
