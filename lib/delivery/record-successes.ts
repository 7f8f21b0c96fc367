/**
 * Group commit for successes: the attempts of many deliveries that succeeded at about the same
 * time are recorded in one statement — exactly what `recordInOneStatement` writes for each
 * (queue row deleted under its lease, log row, the attempt — in the log row when it was the
 * first, else an attempt row —, rollups folded per endpoint and hour, the endpoint's failure
 * streak cleared, `endpoint.recovered` for an endpoint that was failing:
 * lib/delivery/recovered-events.ts). Deliveries whose lease was lost are left out of every part.
 */
import {
  foldIntoRollupsSql,
  hourOf,
  latencyBucketIndex,
  NO_ATTEMPT_COLUMNS,
} from "@/lib/analytics/rollups";
import { createGroupCommit } from "@/lib/db/group-commit";
import { getDb } from "@/lib/db/client";
import { namedParams } from "@/lib/delivery/sql";
import {
  inLogRowSql,
  keptInLogRowSql,
  setFirstAttemptSql,
  type AttemptValuesSql,
} from "@/lib/delivery/first-attempt";
import {
  notRecorded,
  pgText,
  recorded,
  recordInOneStatement,
  insertAttemptRowSql,
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

// One row per success (the arrays, read by unnest), then the recovered-events parameters.
const SUCCESS = namedParams({
  id: "text[]",
  leased_by: "text[]",
  attempt_number: "int[]",
  status_code: "int[]",
  attempted_at: "timestamptz[]",
  attempt_id: "text[]",
  trigger: "attempt_trigger[]",
  url: "text[]",
  request_headers: "text[]",
  response_headers: "text[]",
  response_body: "text[]",
  truncated: "boolean[]",
  duration_ms: "int[]",
  bucket: "int[]",
  hour: "timestamptz[]",
  completed_at: "timestamptz[]",
  threshold: "",
  sendable: "",
  endpoints: "",
  recovered_ids: "",
});
const { $ } = SUCCESS;
// A success's attempt as the columns of `i` (or a relation with its columns). A first attempt is
// kept in the log row by the single statement's rule (`mayKeepAttemptInLogRow`, `keptInLogRowSql`).
const attemptValuesOf = (from: string): AttemptValuesSql => ({
  id: `${from}.attempt_id`,
  trigger: `${from}.trigger`,
  requestUrl: `${from}.url`,
  requestHeaders: `${from}.request_headers::jsonb`,
  responseStatus: `${from}.status_code`,
  responseHeaders: `${from}.response_headers::jsonb`,
  responseBody: `${from}.response_body`,
  responseBodyTruncated: `${from}.truncated`,
  durationMs: `${from}.duration_ms`,
  attemptedAt: `${from}.attempted_at`,
});

const BATCH_SUCCESS_SQL = `WITH i AS (
    SELECT * FROM ${SUCCESS.unnestArrays("u")}),
  q AS (
    DELETE FROM delivery_queue USING i
    WHERE delivery_queue.delivery_id = ANY (${$.id}) AND delivery_queue.delivery_id = i.id AND delivery_queue.leased_by = i.leased_by
    RETURNING delivery_queue.delivery_id),
  d AS (
    UPDATE deliveries SET status = 'success', attempt_count = i.attempt_number, next_attempt_at = NULL, last_status_code = i.status_code,
      last_error = NULL, last_attempt_at = i.attempted_at, completed_at = i.completed_at, next_attempt_trigger = 'auto', updated_at = now(),
      ${setFirstAttemptSql(attemptValuesOf("i"), keptInLogRowSql("i.attempt_number = 1", "i.attempted_at", "deliveries.created_at"))}
    FROM i
    WHERE deliveries.id = ANY (${$.id}) AND deliveries.id = i.id AND deliveries.id IN (SELECT delivery_id FROM q)
    RETURNING deliveries.id, deliveries.app_id, deliveries.endpoint_id, deliveries.created_at, ${inLogRowSql("i.attempt_id")}),
  ok AS (SELECT i.*, d.app_id, d.endpoint_id, d.created_at, d.in_log_row FROM i JOIN d ON d.id = i.id),
  a AS (${insertAttemptRowSql(attemptValuesOf("ok"), "ok.attempt_number", "NULL", "ok WHERE NOT ok.in_log_row")}),
  r AS (${foldIntoRollupsSql(`(
    SELECT app_id, endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, 0 AS created, 1 AS succeeded, 0 AS failed, ${NO_ATTEMPT_COLUMNS} FROM ok
    UNION ALL
    SELECT app_id, endpoint_id, hour, 0, 0, 0, 1, 0, duration_ms, bucket FROM ok)`)}),
  h AS (${healthResetSql("id IN (SELECT DISTINCT endpoint_id FROM ok)")}),
  ${recoveredEventsCtes("ok", { threshold: $.threshold, sendable: $.sendable, endpoints: $.endpoints, ids: $.recovered_ids })}
  SELECT id, (SELECT count(*) FROM ev)::int AS recovered FROM d`;

interface Success {
  claim: ClaimedDelivery;
  attempt: AttemptRecordInput;
  completedAt: Date;
}

async function writeSuccesses(batch: Success[]): Promise<RecordOutcome[]> {
  const attemptIds = batch.map(() => newId("atm"));
  const ms = (s: Success) => Math.max(0, Math.round(s.attempt.result.durationMs));
  // A named statement on the write pool, planned once (generic): rows are found by primary key
  // (`= ANY`), whatever the values (tests/integration/write-pool-plans.test.ts checks the plan).
  const recovered = recoveredEventsValues(batch.map((s) => s.claim.endpointId));
  const { rows } = await getDb().writePool.query<{ id: string; recovered: number }>({
    name: "hookline_success_batch",
    text: BATCH_SUCCESS_SQL,
    values: SUCCESS.values({
      id: batch.map((s) => s.claim.deliveryId),
      leased_by: batch.map((s) => s.claim.leasedBy),
      attempt_number: batch.map((s) => s.claim.attemptCount + 1),
      status_code: batch.map((s) => s.attempt.result.status),
      attempted_at: batch.map((s) => s.attempt.attemptedAt),
      attempt_id: attemptIds,
      trigger: batch.map((s) => s.claim.trigger),
      url: batch.map((s) => s.claim.url),
      request_headers: batch.map((s) => JSON.stringify(s.attempt.requestHeaders)),
      response_headers: batch.map((s) =>
        s.attempt.result.headers ? pgText(JSON.stringify(s.attempt.result.headers)) : null,
      ),
      response_body: batch.map((s) => pgText(s.attempt.result.body)),
      truncated: batch.map((s) => s.attempt.result.bodyTruncated),
      duration_ms: batch.map(ms),
      bucket: batch.map((s) => latencyBucketIndex(s.attempt.result.durationMs)),
      hour: batch.map((s) => hourOf(s.attempt.attemptedAt)),
      completed_at: batch.map((s) => s.completedAt),
      threshold: recovered.threshold,
      sendable: recovered.sendable,
      endpoints: recovered.endpoints,
      recovered_ids: recovered.ids,
    }),
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
