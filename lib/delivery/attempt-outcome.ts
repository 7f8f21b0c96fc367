/**
 * Writing one attempt's outcome: the queue row (deleted when final, rescheduled for a retry),
 * the log row, the attempt (an attempt row, or the log row itself for a first attempt that
 * succeeded soon enough), the rollups and the endpoint's failure streak — as one statement, every part
 * conditional on the lease still being ours.
 */
import {
  foldIntoRollupsSql,
  hourOf,
  latencyBucketIndex,
  NO_ATTEMPT_COLUMNS,
} from "@/lib/analytics/rollups";
import { getDb } from "@/lib/db/client";
import type { ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import type { AttemptResult } from "@/lib/delivery/http-client";
import {
  healthResetSql,
  recoveredEventsCtes,
  recoveredEventsValues,
} from "@/lib/delivery/recovered-events";
import {
  inLogRowSql,
  keptInLogRowSql,
  mayKeepAttemptInLogRow,
  setFirstAttemptSql,
  type AttemptValuesSql,
} from "@/lib/delivery/first-attempt";
import { SqlParams } from "@/lib/delivery/sql";
import type { DeliveryStatus } from "@/lib/delivery/states";
import { newId } from "@/lib/ids";
import { kickOperationalEventDispatch } from "@/lib/operational-events/dispatch";

export interface AttemptRecordInput {
  /** When the request started. */
  attemptedAt: Date;
  /** As sent, with signatures and secret-looking headers already masked. */
  requestHeaders: Record<string, string>;
  result: AttemptResult;
}

export interface AttemptTransition {
  deliveryId: string;
  /** False when the lease was lost (expired and taken by another worker): nothing was recorded. */
  recorded: boolean;
  status: DeliveryStatus;
  attemptNumber: number;
  attemptId: string | null;
  final: boolean;
  nextAttemptAt: Date | null;
  endpointDisabled: boolean;
}

export interface RecordOutcome {
  transition: AttemptTransition;
  cancelled: number;
  operationalEvents: number;
}

export interface OutcomeBatcher {
  /** Records a successful attempt together with others finishing meanwhile; resolves once committed. */
  record(claim: ClaimedDelivery, attempt: AttemptRecordInput): Promise<RecordOutcome>;
  /** Resolves when everything queued so far is written. */
  drain(): Promise<void>;
}

export function notRecorded(claim: ClaimedDelivery): RecordOutcome {
  return {
    transition: {
      deliveryId: claim.deliveryId,
      recorded: false,
      status: "pending",
      attemptNumber: claim.attemptCount,
      attemptId: null,
      final: false,
      nextAttemptAt: null,
      endpointDisabled: false,
    },
    cancelled: 0,
    operationalEvents: 0,
  };
}

export function recorded(
  claim: ClaimedDelivery,
  status: DeliveryStatus,
  attemptId: string,
  extra: Partial<AttemptTransition> = {},
): RecordOutcome {
  return {
    transition: {
      deliveryId: claim.deliveryId,
      recorded: true,
      status,
      attemptNumber: claim.attemptCount + 1,
      attemptId,
      final: status !== "retrying",
      nextAttemptAt: null,
      endpointDisabled: false,
      ...extra,
    },
    cancelled: 0,
    operationalEvents: 0,
  };
}

/** Postgres text cannot hold NUL; a receiver can send anything. */
export function pgText(value: string | null): string | null {
  return value === null ? null : value.replace(/\u0000/g, "\uFFFD");
}

export function attemptErrorOf(result: AttemptResult): string | null {
  return result.ok ? null : (result.error ?? `the receiver answered HTTP ${result.status}`);
}

export interface NextState {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  lastError: string | null;
  attemptId: string;
  now: Date;
  /** May the attempt be kept in the delivery's row (`mayKeepAttemptInLogRow`)? */
  inLogRow: boolean;
}

/** An attempt row from `source` (which has the delivery's `id`, `app_id` and `endpoint_id`). */
export function insertAttemptRowSql(
  values: AttemptValuesSql,
  attemptNumber: string,
  error: string,
  source: string,
): string {
  return `INSERT INTO attempts (id, delivery_id, app_id, endpoint_id, attempt_number, trigger, request_url, request_headers,
      response_status, response_headers, response_body, response_body_truncated, duration_ms, error, created_at)
    SELECT ${values.id}, id, app_id, endpoint_id, ${attemptNumber}, ${values.trigger}, ${values.requestUrl}, ${values.requestHeaders},
      ${values.responseStatus}, ${values.responseHeaders}, ${values.responseBody}, ${values.responseBodyTruncated}, ${values.durationMs}, ${error}, ${values.attemptedAt}
    FROM ${source}`;
}

/** The statement that records one attempt; `recorded` is 1, or 0 when the lease was lost. */
export function writeAttemptSql(
  claim: ClaimedDelivery,
  attempt: AttemptRecordInput,
  next: NextState,
): { name: string; text: string; values: unknown[] } {
  const { result } = attempt;
  const p = new SqlParams();
  const final = next.status !== "retrying";
  const id = p.add(claim.deliveryId);
  const holder = p.add(claim.leasedBy);
  const queue = final
    ? `DELETE FROM delivery_queue WHERE delivery_id = ${id} AND leased_by = ${holder} RETURNING delivery_id`
    : `UPDATE delivery_queue SET run_at = ${p.add(next.nextAttemptAt, "::timestamptz")}, leased_by = NULL, lease_expires_at = NULL
       WHERE delivery_id = ${id} AND leased_by = ${holder} RETURNING delivery_id`;
  const resetHealth = result.ok && claim.trigger !== "test";
  // Only a health reset can record `endpoint.recovered`: no event id to spend otherwise.
  const recovered = recoveredEventsValues(resetHealth ? [claim.endpointId] : []);
  const durationMs = Math.max(0, Math.round(result.durationMs));
  const values: AttemptValuesSql = {
    id: p.add(next.attemptId),
    trigger: p.add(claim.trigger, "::attempt_trigger"),
    requestUrl: p.add(claim.url),
    requestHeaders: p.add(JSON.stringify(attempt.requestHeaders), "::jsonb"),
    responseStatus: p.add(result.status, "::int"),
    responseHeaders: p.add(
      result.headers ? pgText(JSON.stringify(result.headers)) : null,
      "::jsonb",
    ),
    responseBody: p.add(pgText(result.body), "::text"),
    responseBodyTruncated: p.add(result.bodyTruncated, "::boolean"),
    durationMs: p.add(durationMs, "::int"),
    attemptedAt: p.add(attempt.attemptedAt, "::timestamptz"),
  };
  const attemptNumber = p.add(claim.attemptCount + 1, "::int");
  const text = `WITH q AS (${queue}),
    d AS (
      UPDATE deliveries SET status = ${p.add(next.status, "::delivery_status")}, attempt_count = ${attemptNumber},
        next_attempt_at = ${p.add(next.nextAttemptAt, "::timestamptz")},
        last_status_code = ${values.responseStatus}, last_error = ${p.add(pgText(next.lastError), "::text")},
        last_attempt_at = ${values.attemptedAt}, completed_at = ${p.add(final ? next.now : null, "::timestamptz")},
        next_attempt_trigger = 'auto', updated_at = now(),
        ${setFirstAttemptSql(values, keptInLogRowSql(p.add(next.inLogRow, "::boolean"), values.attemptedAt, "deliveries.created_at"))}
      WHERE id = ${id} AND EXISTS (SELECT 1 FROM q)
      RETURNING id, app_id, endpoint_id, created_at, ${inLogRowSql(values.id)}),
    a AS (${insertAttemptRowSql(values, attemptNumber, p.add(pgText(attemptErrorOf(result)), "::text"), "d WHERE NOT d.in_log_row")}),
    r AS (${foldIntoRollupsSql(`(
      SELECT app_id, endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, 0 AS created,
             ${p.add(next.status === "success" ? 1 : 0, "::int")} AS succeeded, ${p.add(next.status === "failed" ? 1 : 0, "::int")} AS failed, ${NO_ATTEMPT_COLUMNS}
      FROM d
      UNION ALL
      SELECT app_id, endpoint_id, ${p.add(hourOf(attempt.attemptedAt), "::timestamptz")}, 0, 0, 0, 1, ${p.add(result.ok ? 0 : 1, "::int")},
             ${values.durationMs}, ${p.add(latencyBucketIndex(result.durationMs), "::int")}
      FROM d)`)}),
    h AS (${healthResetSql(
      `${p.add(resetHealth, "::boolean")} AND id = ${p.add(claim.endpointId)} AND EXISTS (SELECT 1 FROM d)`,
    )}),
    ${recoveredEventsCtes(
      `(SELECT d.id, d.endpoint_id, ${values.id} AS attempt_id, ${values.attemptedAt} AS attempted_at FROM d)`,
      {
        threshold: p.add(recovered.threshold, "::int"),
        sendable: p.add(recovered.sendable, "::boolean"),
        endpoints: p.add(recovered.endpoints, "::text[]"),
        ids: p.add(recovered.ids, "::text[]"),
      },
    )}
    SELECT count(*)::int AS recorded, (SELECT count(*) FROM ev)::int AS recovered FROM d`;
  return {
    name: final ? "hookline_record_final_attempt" : "hookline_record_retry_attempt",
    text,
    values: p.values,
  };
}

/** A final outcome (success, or a failed test send) in one statement, without a transaction. */
export async function recordInOneStatement(
  claim: ClaimedDelivery,
  attempt: AttemptRecordInput,
  now: Date = new Date(),
): Promise<RecordOutcome> {
  const status: DeliveryStatus = attempt.result.ok ? "success" : "failed";
  const attemptId = newId("atm");
  const sql = writeAttemptSql(claim, attempt, {
    status,
    nextAttemptAt: null,
    lastError: attemptErrorOf(attempt.result),
    attemptId,
    now,
    inLogRow: mayKeepAttemptInLogRow(claim, status),
  });
  const { rows } = await getDb().writePool.query<{ recorded: number; recovered: number }>(sql);
  if ((rows[0]?.recovered ?? 0) > 0) kickOperationalEventDispatch();
  return rows[0]?.recorded === 1 ? recorded(claim, status, attemptId) : notRecorded(claim);
}
