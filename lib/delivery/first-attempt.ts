/**
 * The single-write path's rule and SQL: which attempt is kept in its delivery's row (the
 * `first_*` columns of `deliveries`) instead of an attempt row of its own. A leaf module: the
 * writers (lib/delivery/attempt-outcome.ts, record-successes.ts) and the readers
 * (lib/delivery-log/attempt-log.ts) both use it.
 */
import type { ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import type { DeliveryStatus } from "@/lib/delivery/states";

/**
 * The single-write path: a first attempt that succeeded is kept in the row fan-out wrote (its
 * `first_*` columns), so the happy path writes each delivery once. Failures, retries and every
 * later attempt are attempt rows; the `all_attempts` view reads both alike. The statement then
 * keeps it there only if it was made within `FIRST_ATTEMPT_IN_LOG_ROW_WITHIN` of the delivery's
 * creation (`keptInLogRowSql`).
 */
export function mayKeepAttemptInLogRow(
  claim: Pick<ClaimedDelivery, "attemptCount">,
  status: DeliveryStatus,
): boolean {
  return status === "success" && claim.attemptCount === 0;
}

/**
 * How long after its delivery's creation an attempt can still be kept in the log row. The
 * bound lets a read of the attempts made between two times find those kept in log rows among
 * the deliveries created from this long before, on the deliveries' time index
 * (lib/delivery-log/attempt-log.ts): no index on the `first_*` columns, so the update that
 * writes them stays on its page (HOT).
 */
export const FIRST_ATTEMPT_IN_LOG_ROW_WITHIN = "1 hour";

/** Whether an attempt made at `attemptedAt` is kept in a log row created at `createdAt` (SQL). */
export function keptInLogRowSql(may: string, attemptedAt: string, createdAt: string): string {
  return `(${may} AND ${attemptedAt} < ${createdAt} + interval '${FIRST_ATTEMPT_IN_LOG_ROW_WITHIN}')`;
}

/** One attempt's values as SQL expressions, named after the attempt row's columns. */
export interface AttemptValuesSql {
  id: string;
  trigger: string;
  requestUrl: string;
  requestHeaders: string;
  responseStatus: string;
  responseHeaders: string;
  responseBody: string;
  responseBodyTruncated: string;
  durationMs: string;
  attemptedAt: string;
}

const FIRST_ATTEMPT_COLUMNS: Record<keyof AttemptValuesSql, string> = {
  id: "first_attempt_id",
  trigger: "first_attempt_trigger",
  requestUrl: "first_request_url",
  requestHeaders: "first_request_headers",
  responseStatus: "first_response_status",
  responseHeaders: "first_response_headers",
  responseBody: "first_response_body",
  responseBodyTruncated: "first_response_body_truncated",
  durationMs: "first_duration_ms",
  attemptedAt: "first_attempted_at",
};

/**
 * `SET` items of an `UPDATE deliveries` that keep the attempt in the log row where `when` holds
 * (the other rows keep what they have).
 */
export function setFirstAttemptSql(values: AttemptValuesSql, when: string): string {
  return (Object.keys(FIRST_ATTEMPT_COLUMNS) as (keyof AttemptValuesSql)[])
    .map((key) => {
      const column = FIRST_ATTEMPT_COLUMNS[key];
      return `${column} = CASE WHEN ${when} THEN ${values[key]} ELSE deliveries.${column} END`;
    })
    .join(", ");
}

/** `RETURNING` item: whether the row just updated keeps the attempt `id` (SQL). */
export function inLogRowSql(id: string): string {
  return `coalesce(deliveries.first_attempt_id = ${id}, false) AS in_log_row`;
}
