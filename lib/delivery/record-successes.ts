/**
 * Group commit for successes: the attempts of many deliveries that succeeded at about the same
 * time are recorded in one statement — exactly what `recordInOneStatement` writes for each
 * (queue row deleted under its lease, log row, attempt row, rollups folded per endpoint and
 * hour, the endpoint's failure streak cleared, `endpoint.recovered` for an endpoint that was
 * failing: lib/delivery/recovered-events.ts). Deliveries whose lease was lost are left out of
 * every part.
 */
import {
  foldIntoRollupsSql,
  hourOf,
  latencyBucketIndex,
  NO_ATTEMPT_COLUMNS,
} from "@/lib/analytics/rollups";
import { createGroupCommit } from "@/lib/db/group-commit";
import { getDb } from "@/lib/db/client";
import {
  notRecorded,
  pgText,
  recorded,
  recordInOneStatement,
  type AttemptRecordInput,
  type OutcomeBatcher,
  type RecordOutcome,
} from "@/lib/delivery/attempt-outcome";
import type { ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import {
  healthResetSql,
  recoveredEventsCtes,
  recoveredEventsValues,
} from "@/lib/delivery/recovered-events";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import { kickOperationalEventDispatch } from "@/lib/operational-events/dispatch";

const BATCH_SUCCESS_SQL = `WITH i AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::timestamptz[], $6::text[], $7::attempt_trigger[],
                         $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[], $13::int[], $14::int[], $15::timestamptz[],
                         $16::timestamptz[])
      AS u(id, leased_by, attempt_number, status_code, attempted_at, attempt_id, trigger, url, request_headers, response_headers,
           response_body, truncated, duration_ms, bucket, hour, completed_at)),
  q AS (
    DELETE FROM delivery_queue USING i
    WHERE delivery_queue.delivery_id = ANY ($1::text[]) AND delivery_queue.delivery_id = i.id AND delivery_queue.leased_by = i.leased_by
    RETURNING delivery_queue.delivery_id),
  d AS (
    UPDATE deliveries SET status = 'success', attempt_count = i.attempt_number, next_attempt_at = NULL, last_status_code = i.status_code,
      last_error = NULL, last_attempt_at = i.attempted_at, completed_at = i.completed_at, next_attempt_trigger = 'auto', updated_at = now()
    FROM i
    WHERE deliveries.id = ANY ($1::text[]) AND deliveries.id = i.id AND deliveries.id IN (SELECT delivery_id FROM q)
    RETURNING deliveries.id, deliveries.app_id, deliveries.endpoint_id, deliveries.created_at),
  ok AS (SELECT i.*, d.app_id, d.endpoint_id, d.created_at FROM i JOIN d ON d.id = i.id),
  a AS (
    INSERT INTO attempts (id, delivery_id, app_id, endpoint_id, attempt_number, trigger, request_url, request_headers,
      response_status, response_headers, response_body, response_body_truncated, duration_ms, error, created_at)
    SELECT attempt_id, id, app_id, endpoint_id, attempt_number, trigger, url, request_headers::jsonb,
      status_code, response_headers::jsonb, response_body, truncated, duration_ms, NULL, attempted_at
    FROM ok),
  r AS (${foldIntoRollupsSql(`(
    SELECT app_id, endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, 0 AS created, 1 AS succeeded, 0 AS failed, ${NO_ATTEMPT_COLUMNS} FROM ok
    UNION ALL
    SELECT app_id, endpoint_id, hour, 0, 0, 0, 1, 0, duration_ms, bucket FROM ok)`)}),
  h AS (${healthResetSql("id IN (SELECT DISTINCT endpoint_id FROM ok)")}),
  ${recoveredEventsCtes("ok", { threshold: "$17", sendable: "$18", endpoints: "$19", ids: "$20" })}
  SELECT id, (SELECT count(*) FROM ev)::int AS recovered FROM d`;

interface Success {
  claim: ClaimedDelivery;
  attempt: AttemptRecordInput;
  completedAt: Date;
}

async function writeSuccesses(batch: Success[]): Promise<RecordOutcome[]> {
  const attemptIds = batch.map(() => newId("atm"));
  const ms = (s: Success) => Math.max(0, Math.round(s.attempt.result.durationMs));
  // A named (prepared) statement: planning was a third of its time. (On the old design a generic
  // plan once hash-joined a sequential scan of all deliveries; `--pg-stats` shows ~3 ms a batch
  // of ~40 here, as with a fresh plan each time.) Rows are found by primary key (`= ANY`).
  const recovered = recoveredEventsValues(batch.map((s) => s.claim.endpointId));
  const { rows } = await getDb().pool.query<{ id: string; recovered: number }>({
    name: "hookline_success_batch",
    text: BATCH_SUCCESS_SQL,
    values: [
      batch.map((s) => s.claim.deliveryId),
      batch.map((s) => s.claim.leasedBy),
      batch.map((s) => s.claim.attemptCount + 1),
      batch.map((s) => s.attempt.result.status),
      batch.map((s) => s.attempt.attemptedAt),
      attemptIds,
      batch.map((s) => s.claim.trigger),
      batch.map((s) => s.claim.url),
      batch.map((s) => JSON.stringify(s.attempt.requestHeaders)),
      batch.map((s) =>
        s.attempt.result.headers ? pgText(JSON.stringify(s.attempt.result.headers)) : null,
      ),
      batch.map((s) => pgText(s.attempt.result.body)),
      batch.map((s) => s.attempt.result.bodyTruncated),
      batch.map(ms),
      batch.map((s) => latencyBucketIndex(s.attempt.result.durationMs)),
      batch.map((s) => hourOf(s.attempt.attemptedAt)),
      batch.map((s) => s.completedAt),
      recovered.threshold,
      recovered.sendable,
      recovered.endpoints,
      recovered.ids,
    ],
  });
  if ((rows[0]?.recovered ?? 0) > 0) kickOperationalEventDispatch();
  const done = new Set(rows.map((r) => r.id));
  return batch.map((s, i) =>
    done.has(s.claim.deliveryId)
      ? recorded(s.claim, "success", attemptIds[i]!)
      : notRecorded(s.claim),
  );
}

/** A worker's batcher for successes (not test sends). */
export function createOutcomeBatcher(
  options: { maxBatch?: number; maxInFlight?: number } = {},
): OutcomeBatcher {
  const group = createGroupCommit<Success, RecordOutcome>({
    writeBatch: writeSuccesses,
    writeOne: (s) => recordInOneStatement(s.claim, s.attempt, s.completedAt),
    maxBatch: options.maxBatch ?? 200,
    maxInFlight: options.maxInFlight ?? 1,
    onBatchError: (err, size) =>
      log.warn("batched outcome write failed; recording each on its own", {
        deliveries: size,
        error: (err as Error).message,
      }),
  });
  return {
    record: (claim, attempt) => group.submit({ claim, attempt, completedAt: new Date() }),
    drain: () => group.drain(),
  };
}
